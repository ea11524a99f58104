package dev.ksim.kernel;

import dev.ksim.sdk.Arm64PtRegs;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.X86PtRegs;

/** The simulated machine architectures, with the facts of each that the kernel depends on. */
public enum Arch {
    /** x86_64: variable-length instructions, int3 breakpoints, arguments in di, si, dx, cx, r8, r9. */
    X86_64("x86_64", 0xffffffff81000000L, 0xffffffffc0000000L, 0xffff888000000000L, 0xffffc90000000000L, 1),
    /** arm64: fixed 4-byte instructions, BRK breakpoints, arguments in x0–x7. */
    ARM64("arm64", 0xffff800080000000L, 0xffff80007a000000L, 0xffff000000000000L, 0xffff800082000000L, 4);

    /** {@code BRK64_OPCODE_KPROBES}: {@code brk #0x004}, the arm64 kprobe breakpoint. */
    public static final int BRK64_OPCODE_KPROBES = 0xd4200000 | (0x004 << 5);
    /** {@code BRK64_OPCODE_KPROBES_SS}: {@code brk #0x006}, ends an out-of-line single-step slot. */
    public static final int BRK64_OPCODE_KPROBES_SS = 0xd4200000 | (0x006 << 5);
    /** The x86 {@code INT3} opcode. */
    public static final int INT3_INSN_OPCODE = 0xcc;

    private final String unameMachine;
    /** Address of {@code _text}: where the kernel image's text starts. */
    public final long textBase;
    /** Start of the module area ({@code MODULES_VADDR}). */
    public final long modulesBase;
    /** Start of the direct map ({@code PAGE_OFFSET}), where kmalloc memory lives. */
    public final long directMapBase;
    /** Start of the area kernel stacks are allocated in (vmalloc space). */
    public final long stackBase;
    /** Size of the breakpoint instruction written over the probed one. */
    public final int breakpointSize;

    Arch(String unameMachine, long textBase, long modulesBase, long directMapBase, long stackBase, int breakpointSize) {
        this.unameMachine = unameMachine;
        this.textBase = textBase;
        this.modulesBase = modulesBase;
        this.directMapBase = directMapBase;
        this.stackBase = stackBase;
        this.breakpointSize = breakpointSize;
    }

    /** @return the name {@code uname -m} prints ({@code x86_64}, {@code aarch64}) */
    public String unameMachine() {
        return this == ARM64 ? "aarch64" : unameMachine;
    }

    /** @return a fresh, zeroed register set of this architecture */
    public PtRegs newRegs() {
        return this == X86_64 ? new X86PtRegs() : new Arm64PtRegs();
    }

    /**
     * Parses an architecture name as users type it.
     *
     * @param name {@code x86_64}, {@code x86}, {@code amd64}, {@code arm64} or {@code aarch64}
     * @return the architecture
     * @throws IllegalArgumentException for any other name
     */
    public static Arch parse(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "x86_64", "x86", "amd64", "x86-64" -> X86_64;
            case "arm64", "aarch64" -> ARM64;
            default -> throw new IllegalArgumentException("unknown architecture '" + name + "' (x86_64 or arm64)");
        };
    }

    @Override
    public String toString() {
        return unameMachine;
    }
}
