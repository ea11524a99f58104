package dev.ksim.test;

import dev.ksim.sdk.Arm64PtRegs;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.X86PtRegs;

/**
 * Builds {@code struct pt_regs} for calling handlers in unit tests, by the calling convention rather than
 * by register name:
 *
 * <pre>{@code
 * PtRegs regs = Regs.x86().args(AT_FDCWD, filenameAddr).ip(addr + 1).build();   // regs->di, regs->si
 * PtRegs ret = Regs.arm64().returnValue(-2).build();                            // regs->regs[0]
 * }</pre>
 */
public final class Regs {
    private final PtRegs regs;

    private Regs(PtRegs regs) {
        this.regs = regs;
    }

    /** @return a builder of x86_64 registers (IRQs on in {@code flags}, as a kprobe hit sees them: 0x246) */
    public static Regs x86() {
        X86PtRegs r = new X86PtRegs();
        r.flags = 0x246;
        return new Regs(r);
    }

    /** @return a builder of arm64 registers ({@code pstate} 0x60000005, EL1h with Z and C set) */
    public static Regs arm64() {
        Arm64PtRegs r = new Arm64PtRegs();
        r.pstate = 0x60000005L;
        return new Regs(r);
    }

    /**
     * Sets the first function arguments: {@code di, si, dx, cx, r8, r9} on x86_64, {@code x0}–{@code x7} on
     * arm64 ({@code regs_get_kernel_argument}).
     *
     * @param values the arguments, first first
     * @return this
     */
    public Regs args(long... values) {
        for (int i = 0; i < values.length; i++) {
            regs.setKernelArgument(i, values[i]);
        }
        return this;
    }

    /**
     * @param value the return value ({@code ax}, {@code x0}), as a kretprobe handler reads it
     * @return this
     */
    public Regs returnValue(long value) {
        regs.setReturnValue(value);
        return this;
    }

    /**
     * @param value the instruction pointer ({@code ip}, {@code pc})
     * @return this
     */
    public Regs ip(long value) {
        regs.setInstructionPointer(value);
        return this;
    }

    /**
     * @param value the stack pointer
     * @return this
     */
    public Regs sp(long value) {
        regs.setStackPointer(value);
        return this;
    }

    /** @return the registers */
    public PtRegs build() {
        return regs;
    }
}
