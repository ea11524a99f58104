package dev.ksim.kernel.proc;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.mm.KernelMemory;

/**
 * The user-mode {@code struct pt_regs} saved at the top of a task's kernel stack on syscall entry:
 * what {@code __x64_sys_*(const struct pt_regs *regs)} and {@code __arm64_sys_*} receive, so a kprobe
 * on a syscall reads its arguments through {@code regs->di} as an HIDS agent does.
 */
public final class UserRegs {
    /** {@code sizeof(struct pt_regs)}: 168 on x86_64, 336 on arm64. */
    public static int size(Arch arch) {
        return arch == Arch.X86_64 ? 168 : 336;
    }

    private static final int[] X86_ARGS = {112, 104, 96, 56, 72, 64}; // di si dx r10 r8 r9
    private static final int X86_AX = 80;
    private static final int X86_ORIG_AX = 120;
    private static final int X86_IP = 128;
    private static final int X86_CS = 136;
    private static final int X86_FLAGS = 144;
    private static final int X86_SP = 152;
    private static final int X86_SS = 160;
    private static final int ARM64_SP = 248;
    private static final int ARM64_PC = 256;
    private static final int ARM64_PSTATE = 264;
    private static final int ARM64_ORIG_X0 = 272;
    private static final int ARM64_SYSCALLNO = 280;

    private UserRegs() {
    }

    /**
     * Fills in the saved user registers of a syscall.
     *
     * @param mem kernel memory
     * @param arch the architecture
     * @param at the pt_regs address
     * @param nr the syscall number
     * @param args its arguments (up to six)
     * @param userSp the user stack pointer
     */
    public static void store(KernelMemory mem, Arch arch, long at, int nr, long[] args, long userSp) {
        mem.fill(at, size(arch), 0);
        if (arch == Arch.X86_64) {
            for (int i = 0; i < args.length && i < 6; i++) {
                mem.write64(at + X86_ARGS[i], args[i]);
            }
            mem.write64(at + X86_AX, -38L);
            mem.write64(at + X86_ORIG_AX, nr);
            mem.write64(at + X86_IP, 0x7f3a1c2e4d5bL);
            mem.write64(at + X86_CS, 0x33);
            mem.write64(at + X86_FLAGS, 0x246);
            mem.write64(at + X86_SP, userSp);
            mem.write64(at + X86_SS, 0x2b);
        } else {
            for (int i = 0; i < args.length && i < 6; i++) {
                mem.write64(at + 8L * i, args[i]);
            }
            mem.write64(at + ARM64_SP, userSp);
            mem.write64(at + ARM64_PC, 0xffffa1c2e4d58L);
            mem.write64(at + ARM64_PSTATE, 0x80001000L);
            mem.write64(at + ARM64_ORIG_X0, args.length > 0 ? args[0] : 0);
            mem.write64(at + ARM64_SYSCALLNO, nr);
        }
    }

    /**
     * {@code regs->di}, {@code regs->si}, … (x86; the 4th is r10) / {@code regs->regs[n]} (arm64).
     *
     * @param mem kernel memory
     * @param arch the architecture
     * @param at the pt_regs address
     * @param n the argument's index
     * @return its value
     */
    public static long arg(KernelMemory mem, Arch arch, long at, int n) {
        return mem.read64(at + (arch == Arch.X86_64 ? X86_ARGS[n] : 8L * n));
    }

    /** @param mem kernel memory @param arch architecture @param at pt_regs @return the syscall number */
    public static long nr(KernelMemory mem, Arch arch, long at) {
        return mem.read64(at + (arch == Arch.X86_64 ? X86_ORIG_AX : ARM64_SYSCALLNO));
    }

    /** Stores the return value. @param mem memory @param arch architecture @param at pt_regs @param v value */
    public static void setReturn(KernelMemory mem, Arch arch, long at, long v) {
        mem.write64(at + (arch == Arch.X86_64 ? X86_AX : 0), v);
    }
}
