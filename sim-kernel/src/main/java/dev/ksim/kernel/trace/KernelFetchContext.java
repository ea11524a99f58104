package dev.ksim.kernel.trace;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Task;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Arm64PtRegs;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.X86PtRegs;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The fetch context of a probe hit: {@code pt_regs} by register name ({@code regs_query_register_offset}), kernel
 * memory through {@code copy_from_kernel_nofault}, user memory of the current process (for {@code +u…()},
 * {@code ustring}, uprobes, and on x86 any address below {@code TASK_SIZE}).
 */
class KernelFetchContext implements FetchContext {
    /** x86-64's {@code regoffset_table}. */
    static final Set<String> X86_REGS = Set.of("r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8",
            "ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss");
    /** {@code MAX_STRING_SIZE} ({@code PATH_MAX}). */
    static final int MAX_STRING_SIZE = 4096;
    /** x86-64's {@code TASK_SIZE_MAX}. */
    private static final long TASK_SIZE = 0x00007ffffffff000L;

    final SimKernel k;
    final PtRegs regs;
    final Task task;
    private final boolean user;

    KernelFetchContext(SimKernel k, PtRegs regs, Task task, boolean user) {
        this.k = k;
        this.regs = regs;
        this.task = task;
        this.user = user;
    }

    /**
     * @param arch the architecture
     * @param name a name after {@code %}
     * @return whether it is one of the architecture's {@code pt_regs} names
     */
    static boolean isRegister(Arch arch, String name) {
        if (arch == Arch.X86_64) {
            return X86_REGS.contains(name);
        }
        if (name.equals("sp") || name.equals("pc") || name.equals("pstate")) {
            return true;
        }
        if (name.length() < 2 || name.charAt(0) != 'x') {
            return false;
        }
        try {
            int n = Integer.parseInt(name.substring(1));
            return n >= 0 && n <= 30 && name.substring(1).equals(Integer.toString(n));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public long register(String name) {
        if (regs instanceof X86PtRegs x) {
            return switch (name) {
                case "r15" -> x.r15;
                case "r14" -> x.r14;
                case "r13" -> x.r13;
                case "r12" -> x.r12;
                case "bp" -> x.bp;
                case "bx" -> x.bx;
                case "r11" -> x.r11;
                case "r10" -> x.r10;
                case "r9" -> x.r9;
                case "r8" -> x.r8;
                case "ax" -> x.ax;
                case "cx" -> x.cx;
                case "dx" -> x.dx;
                case "si" -> x.si;
                case "di" -> x.di;
                case "orig_ax" -> x.orig_ax;
                case "ip" -> x.ip;
                case "cs" -> x.cs;
                case "flags" -> x.flags;
                case "sp" -> x.sp;
                case "ss" -> x.ss;
                default -> 0;
            };
        }
        Arm64PtRegs a = (Arm64PtRegs) regs;
        return switch (name) {
            case "sp" -> a.sp;
            case "pc" -> a.pc;
            case "pstate" -> a.pstate;
            default -> a.regs[Integer.parseInt(name.substring(1))];
        };
    }

    @Override
    public long stackPointer() {
        return regs.stackPointer();
    }

    @Override
    public long returnValue() {
        return regs.returnValue();
    }

    @Override
    public long argument(int n) {
        if (n < regs.argumentRegisters()) {
            return regs.kernelArgument(n);
        }
        if (regs instanceof X86PtRegs) {
            Long v = read(stackPointer() + 8L * (n - regs.argumentRegisters() + 1), 8, false);
            return v == null ? 0 : v;
        }
        return 0;
    }

    @Override
    public String comm() {
        return task == null ? "swapper" : task.comm();
    }

    private boolean userAddress(long addr, boolean userFetch) {
        return userFetch || user || (k.arch() == Arch.X86_64 && Long.compareUnsigned(addr, TASK_SIZE) < 0);
    }

    private Process process() {
        return task == null ? null : k.syscalls().of(task);
    }

    @Override
    public Long read(long addr, int size, boolean userFetch) {
        byte[] b = new byte[size];
        if (userAddress(addr, userFetch)) {
            Process p = process();
            if (p == null || p.userMemory().copyFromUser(b, addr, size) != 0) {
                return null;
            }
        } else if (k.copy_from_kernel_nofault(b, addr, size) != 0) {
            return null;
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    @Override
    public String readString(long addr, boolean userFetch) {
        byte[] b = new byte[MAX_STRING_SIZE];
        int n;
        if (userAddress(addr, userFetch)) {
            Process p = process();
            long r = p == null ? -1 : p.userMemory().strncpyFromUser(b, addr, MAX_STRING_SIZE - 1);
            if (r < 0) {
                return null;
            }
            n = (int) r;
        } else {
            long r = k.strncpy_from_kernel_nofault(b, addr, MAX_STRING_SIZE);
            if (r < 0) {
                return null;
            }
            n = (int) Math.min(r, MAX_STRING_SIZE);
            while (n > 0 && b[n - 1] == 0) {
                n--;
            }
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public boolean userSpace() {
        return user;
    }

    @Override
    public long fileAddress(long fileOffset) {
        return fileOffset;
    }

    @Override
    public String symbol(long addr) {
        return Symbols.withOffset(k.text(), addr);
    }
}
