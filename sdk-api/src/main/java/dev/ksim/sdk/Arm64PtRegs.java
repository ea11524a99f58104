package dev.ksim.sdk;

/**
 * The arm64 {@code struct pt_regs} (its user-visible part). At a kprobe's pre_handler {@link #pc} is
 * {@code p.addr}: BRK does not advance the program counter.
 */
public final class Arm64PtRegs extends PtRegs {
    /** x0–x30: x0–x7 carry arguments, x0 the return value, x29 is the frame pointer, x30 the link register. */
    public final long[] regs = new long[31];
    /** Stack pointer. */
    public long sp;
    /** Program counter. */
    public long pc;
    /** PSTATE: NZCV, DAIF and the exception level ({@code 0x...05} = EL1h). */
    public long pstate;

    /** The interrupt mask bits of {@link #pstate}: {@code PSR_I_BIT}. */
    public static final long PSR_I_BIT = 0x80;
    /** All DAIF mask bits of {@link #pstate}. */
    public static final long DAIF_MASK = 0x3c0;

    /** Zeroed registers. */
    public Arm64PtRegs() {
    }

    @Override
    public long instructionPointer() {
        return pc;
    }

    @Override
    public void setInstructionPointer(long value) {
        pc = value;
    }

    @Override
    public long stackPointer() {
        return sp;
    }

    @Override
    public void setStackPointer(long value) {
        sp = value;
    }

    @Override
    public long framePointer() {
        return regs[29];
    }

    @Override
    public long returnValue() {
        return regs[0];
    }

    @Override
    public void setReturnValue(long value) {
        regs[0] = value;
    }

    @Override
    public int argumentRegisters() {
        return 8;
    }

    @Override
    public long kernelArgument(int n) {
        return n >= 0 && n < 8 ? regs[n] : 0;
    }

    @Override
    public void setKernelArgument(int n, long value) {
        if (n >= 0 && n < 8) {
            regs[n] = value;
        }
    }

    @Override
    public void copyFrom(PtRegs other) {
        Arm64PtRegs o = (Arm64PtRegs) other;
        System.arraycopy(o.regs, 0, regs, 0, regs.length);
        sp = o.sp;
        pc = o.pc;
        pstate = o.pstate;
    }

    @Override
    public String arch() {
        return "aarch64";
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format("pc : %016x%nsp : %016x pstate: %08x", pc, sp, pstate));
        for (int i = 30; i >= 0; i--) {
            b.append(i % 2 == 0 ? " " : System.lineSeparator()).append(String.format("x%-2d: %016x", i, regs[i]));
        }
        return b.toString();
    }
}
