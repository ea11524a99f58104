package dev.ksim.sdk;

/**
 * The x86_64 {@code struct pt_regs}, field for field. At a kprobe's pre_handler {@link #ip} is
 * {@code p.addr + 1}: the int3 has executed.
 */
public final class X86PtRegs extends PtRegs {
    /** Callee-saved register r15. */
    public long r15;
    /** Callee-saved register r14. */
    public long r14;
    /** Callee-saved register r13. */
    public long r13;
    /** Callee-saved register r12. */
    public long r12;
    /** Frame pointer. */
    public long bp;
    /** Callee-saved register bx. */
    public long bx;
    /** Scratch register r11. */
    public long r11;
    /** Scratch register r10. */
    public long r10;
    /** Sixth argument. */
    public long r9;
    /** Fifth argument. */
    public long r8;
    /** Return value. */
    public long ax;
    /** Fourth argument. */
    public long cx;
    /** Third argument. */
    public long dx;
    /** Second argument. */
    public long si;
    /** First argument. */
    public long di;
    /** The system call number on syscall entry; -1 for exceptions such as int3. */
    public long orig_ax;
    /** Instruction pointer. */
    public long ip;
    /** Code segment selector ({@code __KERNEL_CS} = 0x10 in the kernel). */
    public long cs;
    /** RFLAGS ({@code 0x246}: IF, ZF, PF and the reserved bit). */
    public long flags;
    /** Stack pointer. */
    public long sp;
    /** Stack segment selector ({@code __KERNEL_DS} = 0x18 in the kernel). */
    public long ss;

    /** The IF (interrupt enable) bit of {@link #flags}: {@code X86_EFLAGS_IF}. */
    public static final long X86_EFLAGS_IF = 0x200;

    /** Zeroed registers. */
    public X86PtRegs() {
    }

    @Override
    public long instructionPointer() {
        return ip;
    }

    @Override
    public void setInstructionPointer(long value) {
        ip = value;
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
        return bp;
    }

    @Override
    public long returnValue() {
        return ax;
    }

    @Override
    public void setReturnValue(long value) {
        ax = value;
    }

    @Override
    public int argumentRegisters() {
        return 6;
    }

    @Override
    public long kernelArgument(int n) {
        return switch (n) {
            case 0 -> di;
            case 1 -> si;
            case 2 -> dx;
            case 3 -> cx;
            case 4 -> r8;
            case 5 -> r9;
            default -> 0;
        };
    }

    @Override
    public void setKernelArgument(int n, long value) {
        switch (n) {
            case 0 -> di = value;
            case 1 -> si = value;
            case 2 -> dx = value;
            case 3 -> cx = value;
            case 4 -> r8 = value;
            case 5 -> r9 = value;
            default -> {
            }
        }
    }

    @Override
    public void copyFrom(PtRegs other) {
        X86PtRegs o = (X86PtRegs) other;
        r15 = o.r15;
        r14 = o.r14;
        r13 = o.r13;
        r12 = o.r12;
        bp = o.bp;
        bx = o.bx;
        r11 = o.r11;
        r10 = o.r10;
        r9 = o.r9;
        r8 = o.r8;
        ax = o.ax;
        cx = o.cx;
        dx = o.dx;
        si = o.si;
        di = o.di;
        orig_ax = o.orig_ax;
        ip = o.ip;
        cs = o.cs;
        flags = o.flags;
        sp = o.sp;
        ss = o.ss;
    }

    @Override
    public String arch() {
        return "x86_64";
    }

    @Override
    public String toString() {
        return String.format("RIP: %04x:%016x RSP: %04x:%016x EFLAGS: %08x%n"
                        + "RAX: %016x RBX: %016x RCX: %016x%n"
                        + "RDX: %016x RSI: %016x RDI: %016x%n"
                        + "RBP: %016x R08: %016x R09: %016x%n"
                        + "R10: %016x R11: %016x R12: %016x%n"
                        + "R13: %016x R14: %016x R15: %016x",
                cs, ip, ss, sp, flags, ax, bx, cx, dx, si, di, bp, r8, r9, r10, r11, r12, r13, r14, r15);
    }
}
