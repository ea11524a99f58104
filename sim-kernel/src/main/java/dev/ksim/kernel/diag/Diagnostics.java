package dev.ksim.kernel.diag;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.KernelPanic;
import dev.ksim.kernel.cpu.KernelStack;
import dev.ksim.kernel.cpu.Task;
import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.kernel.mm.PageFault;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.kernel.text.KernelText;
import dev.ksim.kernel.text.Symbol;
import dev.ksim.sdk.Arm64PtRegs;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.X86PtRegs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The kernel's reports in its own words: {@code dump_stack()}, {@code WARN()}, {@code BUG()} and oopses
 * (x86_64 and arm64 formats of a 6.8 kernel), with taints added as the kernel adds them.
 */
public final class Diagnostics {
    private final Arch arch;
    private final KernelText text;
    private final Taint taint;
    private final String release;
    private final Consumer<String> printk;
    private final Supplier<String> modulesLinkedIn;
    /** Resolves return slots hijacked by kretprobes; null until kprobes is up. */
    private volatile dev.ksim.kernel.cpu.TrapHandler traps;
    /** {@code die_counter}: the [#N] of the next oops. */
    private final AtomicInteger dieCounter = new AtomicInteger();
    /** {@code jiffies}. */
    private final LongSupplier jiffies;
    /**
     * {@code __might_resched}'s {@code prev_jiffy}: when the last sleeping-in-atomic report was printed, 0
     * before the first. Updated by compare-and-set, so concurrent reports in one window print once.
     */
    private final AtomicLong prevMightSleepJiffy = new AtomicLong();
    /** {@code /proc/sys/kernel/panic_on_warn} (0 or 1). */
    private volatile int panicOnWarn;
    /** {@code /proc/sys/kernel/panic_on_oops} (non-zero: panic). */
    private volatile int panicOnOops;
    /** The message of the panic that stopped this kernel, or null while it runs; set once. */
    private volatile String panicked;

    /**
     * @param arch the architecture
     * @param text kernel text, for symbolising
     * @param taint the taint flags
     * @param release {@code uname -r}
     * @param printk stores one already formatted line (level prefix included) in the log
     * @param modulesLinkedIn the {@code Modules linked in:} list
     * @param jiffies the {@code jiffies} counter
     */
    public Diagnostics(Arch arch, KernelText text, Taint taint, String release, Consumer<String> printk,
            Supplier<String> modulesLinkedIn, LongSupplier jiffies) {
        this.arch = arch;
        this.jiffies = jiffies;
        this.text = text;
        this.taint = taint;
        this.release = release;
        this.printk = printk;
        this.modulesLinkedIn = modulesLinkedIn;
    }

    private void line(String level, String s) {
        printk.accept(level + s + "\n");
    }

    /**
     * Lets stack traces show the real return address of a frame whose return slot a kretprobe hijacked
     * ({@code CONFIG_ARCH_CORRECT_STACKTRACE_ON_KRETPROBE}).
     *
     * @param traps the kernel's trap handler
     */
    public void resolveKretprobeFrames(dev.ksim.kernel.cpu.TrapHandler traps) {
        this.traps = traps;
    }

    /**
     * {@code %pS}: {@code sym+0xoff/0xsize [mod]}, or the raw address.
     *
     * @param addr an address
     * @return its symbolic form
     */
    public String symbolize(long addr) {
        Symbol s = text.lookup(addr);
        if (s == null) {
            return "0x" + Long.toHexString(addr);
        }
        return s.name() + "+0x" + Long.toHexString(addr - s.address()) + "/0x" + Long.toHexString(s.size())
                + (s.module() != null ? " [" + s.module() + "]" : "");
    }

    /** @return the {@code CPU: … Comm: … Tainted …} header line of a 6.8 kernel */
    private String header(Cpu cpu) {
        Task t = cpu == null ? null : cpu.task();
        return String.format("CPU: %d PID: %d Comm: %.20s %s %s #1", cpu == null ? 0 : cpu.id, t == null ? 0 : t.pid,
                t == null ? "swapper" : t.comm(), taint.describe(), release);
    }

    private String hardware() {
        return arch == Arch.X86_64 ? "Hardware name: ksim simulated machine, BIOS ksim 01/01/2026"
                : "Hardware name: ksim simulated machine (DT)";
    }

    /**
     * The return addresses of the current task's kernel stack, innermost first, as the unwinder reports
     * them: the running instruction of the innermost frame, then each frame's return slot.
     *
     * @param cpu the CPU
     * @return the addresses
     */
    public List<Long> stackTrace(Cpu cpu) {
        List<Long> out = new ArrayList<>();
        if (cpu == null || cpu.stack() == null) {
            return out;
        }
        for (long a : cpu.pendingContextAddresses()) {
            out.add(a);
        }
        KernelStack s = cpu.stack();
        int depth = s.depth();
        if (depth == 0) {
            return out;
        }
        KFunction inner = s.function(depth - 1);
        out.add(inner.insnAddress(Math.min(s.pc(depth - 1), inner.insnCount() - 1)));
        for (int d = depth - 1; d >= 0; d--) {
            long r = returnAddress(cpu, d);
            if (r != 0) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * A frame's return address as the unwinder reports it: the slot's value, or the real address when a
     * kretprobe put its trampoline there.
     *
     * @param cpu the CPU running the task
     * @param d the frame
     * @return the address
     */
    public long returnAddress(Cpu cpu, int d) {
        KernelStack s = cpu.stack();
        long r = s.returnAddress(d);
        dev.ksim.kernel.cpu.TrapHandler t = traps;
        if (t != null && r == t.trampolineAddress() && r != 0) {
            long real = t.realReturnAddress(cpu.task(), s.frameId(d));
            if (real != 0) {
                return real;
            }
        }
        return r;
    }

    private void callTrace(Cpu cpu, String level, List<Long> lead) {
        List<Long> trace = new ArrayList<>(lead);
        trace.addAll(stackTrace(cpu));
        if (arch == Arch.X86_64) {
            line(level, "Call Trace:");
            line(level, " <TASK>");
            for (long a : trace) {
                line(level, " " + symbolize(a));
            }
            line(level, " </TASK>");
        } else {
            line(level, "Call trace:");
            for (long a : trace) {
                line(level, " " + symbolize(a));
            }
        }
    }

    private long fn(String name, int insnFromEnd) {
        KFunction f = text.coreFunction(name);
        if (f == null) {
            return 0;
        }
        int i = Math.max(0, f.lastInsn() - insnFromEnd);
        return f.insnAddress(i);
    }

    /**
     * {@code dump_stack()}.
     *
     * @param cpu the CPU whose task's stack is dumped
     */
    public void dumpStack(Cpu cpu) {
        line("\001d", header(cpu));
        line("\001d", hardware());
        List<Long> lead = new ArrayList<>();
        lead.add(fn("dump_stack_lvl", 2));
        callTrace(cpu, "\001d", lead);
    }

    /** @return {@code panic_on_warn} */
    public int panicOnWarn() {
        return panicOnWarn;
    }

    /** @param v {@code panic_on_warn}: 0 or 1 (the sysctl's range) */
    public void setPanicOnWarn(int v) {
        if (v < 0 || v > 1) {
            throw new IllegalArgumentException("panic_on_warn is 0 or 1");
        }
        panicOnWarn = v;
    }

    /** @return {@code panic_on_oops} */
    public int panicOnOops() {
        return panicOnOops;
    }

    /** @param v {@code panic_on_oops}: non-zero makes every oops a panic */
    public void setPanicOnOops(int v) {
        panicOnOops = v;
    }

    /** @return the message of the panic that stopped this kernel, or null */
    public String panicked() {
        return panicked;
    }

    /**
     * {@code panic()}: the report, then the kernel stops. The stack is dumped unless an oops is being
     * reported (taint D), as {@code CONFIG_DEBUG_BUGVERBOSE} kernels do.
     *
     * @param cpu the CPU that panics
     * @param message the message
     * @return the exception that unwinds the panicking CPU
     */
    public KernelPanic panic(Cpu cpu, String message) {
        synchronized (this) {
            if (panicked == null) {
                line("\0010", "Kernel panic - not syncing: " + message);
                if (!taint.test(Taint.Flag.DIE)) {
                    dumpStack(cpu);
                }
                if (arch == Arch.X86_64) {
                    line("\0010", "Kernel Offset: disabled");
                }
                line("\0010", "---[ end Kernel panic - not syncing: " + message + " ]---");
                panicked = message;
            }
        }
        return new KernelPanic(panicked);
    }

    /** {@code check_panic_on_warn(origin)}. */
    private void checkPanicOnWarn(Cpu cpu, String origin) {
        if (panicOnWarn != 0) {
            throw panic(cpu, origin + ": panic_on_warn set ...");
        }
    }

    /**
     * {@code __might_resched()} ({@code CONFIG_DEBUG_ATOMIC_SLEEP}, {@code CONFIG_PREEMPT_RCU}): when a
     * function that may sleep is called with preemption or interrupts disabled, reports it — at most once
     * per second ({@code HZ} jiffies) kernel-wide — with a stack dump, and taints W. Call it on the CPU's
     * stack inside {@code __might_resched}, so that the dump shows the caller's chain.
     *
     * @param cpu the CPU running the caller
     * @param file the {@code might_sleep()} site's source file
     * @param line its line
     * @return true if the context was invalid (whether or not the rate limit let the report through)
     */
    public boolean mightResched(Cpu cpu, String file, int line) {
        if (cpu == null || cpu.preemptCount() == 0 && !cpu.irqsDisabled) {
            return false;
        }
        long now = jiffies.getAsLong();
        long prev = prevMightSleepJiffy.get();
        if (prev != 0 && now - (prev + Jiffies.HZ) < 0 || !prevMightSleepJiffy.compareAndSet(prev, now)) {
            return true;
        }
        Task t = cpu.task();
        line("\0013", String.format("BUG: sleeping function called from invalid context at %s:%d", file, line));
        line("\0013", String.format("in_atomic(): %d, irqs_disabled(): %d, non_block: %d, pid: %d, name: %s",
                cpu.preemptCount() != 0 ? 1 : 0, cpu.irqsDisabled ? 1 : 0, 0, t.pid, t.comm()));
        line("\0013", String.format("preempt_count: %x, expected: %x", cpu.preemptCount(), 0));
        line("\0013", String.format("RCU nest depth: %d, expected: %d", 0, 0));
        dumpStack(cpu);
        taint.add(Taint.Flag.WARN);
        return true;
    }

    /**
     * {@code __schedule_bug()}: {@code schedule()} entered with a non-zero preempt count. Printed every
     * time, as the kernel does, followed by the module list and a stack dump; taints W.
     *
     * @param cpu the CPU that tried to schedule
     */
    public void scheduleBug(Cpu cpu) {
        Task t = cpu.task();
        line("\0013", String.format("BUG: scheduling while atomic: %s/%d/0x%08x", t.comm(), t.pid, cpu.preemptCount()));
        line("\0014", "Modules linked in:" + modulesLinkedIn.get());
        checkPanicOnWarn(cpu, "scheduling while atomic");
        dumpStack(cpu);
        taint.add(Taint.Flag.WARN);
    }

    /**
     * {@code __warn()}: the WARNING splat, then taint W.
     *
     * @param cpu the CPU
     * @param file the check's source file
     * @param line its line
     * @param function the function containing it
     */
    public void warn(Cpu cpu, String file, int line, String function) {
        long at = fn(function, 3);
        line("\0014", "------------[ cut here ]------------");
        Task t = cpu == null ? null : cpu.task();
        line("\0014", String.format("WARNING: CPU: %d PID: %d at %s:%d %s", cpu == null ? 0 : cpu.id,
                t == null ? 0 : t.pid, file, line, symbolize(at)));
        line("\001d", "Modules linked in:" + modulesLinkedIn.get());
        line("\001d", header(cpu));
        line("\001d", hardware());
        registers(cpu, at, "\001d");
        checkPanicOnWarn(cpu, "kernel");
        callTrace(cpu, "\0014", List.of());
        line("\0014", "---[ end trace 0000000000000000 ]---");
        taint.add(Taint.Flag.WARN);
    }

    private void registers(Cpu cpu, long ip, String level) {
        PtRegs r = cpu != null ? cpu.regs() : null;
        if (r instanceof X86PtRegs x) {
            line(level, "RIP: 0010:" + symbolize(ip));
            line(level, String.format("RSP: 0018:%016x EFLAGS: %08x", x.sp, x.flags));
            line(level, String.format("RAX: %016x RBX: %016x RCX: %016x", x.ax, x.bx, x.cx));
            line(level, String.format("RDX: %016x RSI: %016x RDI: %016x", x.dx, x.si, x.di));
            line(level, String.format("RBP: %016x R08: %016x R09: %016x", x.bp, x.r8, x.r9));
            line(level, String.format("R10: %016x R11: %016x R12: %016x", x.r10, x.r11, x.r12));
            line(level, String.format("R13: %016x R14: %016x R15: %016x", x.r13, x.r14, x.r15));
        } else if (r instanceof Arm64PtRegs a) {
            line(level, String.format("pstate: %08x (%s)", a.pstate, "nZCv daif -PAN -UAO -TCO -DIT -SSBS BTYPE=--"));
            line(level, "pc : " + symbolize(ip));
            line(level, "lr : " + symbolize(a.regs[30]));
            line(level, String.format("sp : %016x", a.sp));
            for (int i = 29; i >= 0; i -= 3) {
                StringBuilder b = new StringBuilder();
                for (int k = i; k > i - 3 && k >= 0; k--) {
                    b.append(String.format("x%-2d: %016x ", k, a.regs[k]));
                }
                line(level, b.toString().stripTrailing());
            }
        }
    }

    /**
     * {@code BUG()}: the kernel BUG oops; the task dies.
     *
     * @param cpu the CPU
     * @param file the source file of the BUG()
     * @param lineNo its line
     * @return the exception unwinding the task
     */
    public RuntimeException bug(Cpu cpu, String file, int lineNo) {
        line("\0014", "------------[ cut here ]------------");
        if (arch == Arch.X86_64) {
            line("\0010", "kernel BUG at " + file + ":" + lineNo + "!");
            return die(cpu, "invalid opcode: 0000", cpu == null ? 0 : currentIp(cpu), "BUG at " + file + ":" + lineNo);
        }
        line("\0010", "kernel BUG at " + file + ":" + lineNo + "!");
        return die(cpu, "Internal error: Oops - BUG: 00000000f2000800", cpu == null ? 0 : currentIp(cpu),
                "BUG at " + file + ":" + lineNo);
    }

    private long currentIp(Cpu cpu) {
        List<Long> t = stackTrace(cpu);
        return t.isEmpty() ? 0 : t.get(0);
    }

    /**
     * An oops for a fault in kernel code (module code's Java exceptions become the kernel's faults: a
     * NullPointerException is a NULL pointer dereference).
     *
     * @param cpu the CPU
     * @param cause what happened
     * @param ip where, or 0 for the current instruction
     * @return the exception unwinding the task
     */
    public RuntimeException oops(Cpu cpu, Throwable cause, long ip) {
        if (cause instanceof KernelPanic p) {
            return p;
        }
        long at = ip != 0 ? ip : currentIp(cpu);
        if (cause instanceof NullPointerException) {
            if (arch == Arch.X86_64) {
                line("\0011", "BUG: kernel NULL pointer dereference, address: 0000000000000000");
                line("\0011", "#PF: supervisor read access in kernel mode");
                line("\0011", "#PF: error_code(0x0000) - not-present page");
                line("\0016", "PGD 0 P4D 0 ");
                return die(cpu, "Oops: 0000", at, cause.toString());
            }
            line("\0011", "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000");
            line("\0011", "Mem abort info:");
            line("\0011", "  ESR = 0x0000000096000004");
            return die(cpu, "Internal error: Oops: 0000000096000004", at, cause.toString());
        }
        if (cause instanceof PageFault pf && pf.reason() != PageFault.Reason.NULL_POINTER) {
            return pageFault(cpu, pf, at);
        }
        if (cause instanceof ArithmeticException) {
            return die(cpu, arch == Arch.X86_64 ? "divide error: 0000" : "Internal error: Oops - BRK: 00000000f20003e8",
                    at, cause.toString());
        }
        if (cause instanceof StackOverflowError || cause instanceof Cpu.KernelStackOverflow) {
            line("\0010", "BUG: TASK stack guard page was hit at " + String.format("%016x", at));
            return die(cpu, arch == Arch.X86_64 ? "stack guard page: 0000" : "Internal error: Oops - stack overflow",
                    at, cause.toString());
        }
        if ("invalid opcode".equals(cause.getMessage())) {
            return die(cpu, arch == Arch.X86_64 ? "invalid opcode: 0000"
                    : "Internal error: Oops - Undefined instruction: 0000000002000000", at, cause.toString());
        }
        return die(cpu, arch == Arch.X86_64 ? "general protection fault: 0000"
                : "Internal error: Oops: 0000000096000021", at, cause.toString());
    }

    /**
     * The soft-lockup watchdog's report for a CPU stuck in the kernel, then taint L. ksim then ends the
     * stuck task (a real kernel would leave it spinning).
     *
     * @param cpu the stuck CPU
     * @param seconds for how long it was stuck
     * @return the exception unwinding the task
     */
    public RuntimeException softLockup(Cpu cpu, int seconds) {
        Task t = cpu.task();
        line("\0010", String.format("watchdog: BUG: soft lockup - CPU#%d stuck for %ds! [%s:%d]", cpu.id, seconds,
                t == null ? "swapper" : t.comm(), t == null ? 0 : t.pid));
        line("\001d", "Modules linked in:" + modulesLinkedIn.get());
        line("\001d", header(cpu));
        line("\001d", hardware());
        callTrace(cpu, "\001d", List.of());
        taint.add(Taint.Flag.SOFTLOCKUP);
        if (t != null) {
            t.setState(Task.State.DEAD, 9);
        }
        return new TaskKilled("soft lockup");
    }

    /**
     * A kernel access to a bad address, worded as {@code show_fault_oops()} (x86_64) and
     * {@code die_kernel_fault()} (arm64) word it.
     */
    private RuntimeException pageFault(Cpu cpu, PageFault pf, long ip) {
        String addr = String.format("%016x", pf.address());
        boolean protection = pf.reason() == PageFault.Reason.PROTECTION;
        if (arch == Arch.X86_64) {
            if (pf.reason() == PageFault.Reason.NON_CANONICAL) {
                return die(cpu, "general protection fault, probably for non-canonical address 0x"
                        + Long.toHexString(pf.address()) + ": 0000", ip, pf.toString());
            }
            int code = (pf.write() ? 2 : 0) | (protection ? 1 : 0);
            line("\0011", "BUG: unable to handle page fault for address: " + addr);
            line("\0011", "#PF: supervisor " + (pf.write() ? "write" : "read") + " access in kernel mode");
            line("\0011", String.format("#PF: error_code(0x%04x) - %s", code,
                    protection ? "permissions violation" : "not-present page"));
            line("\0016", "PGD 0 P4D 0 ");
            return die(cpu, String.format("Oops: %04x", code), ip, pf.toString());
        }
        long esr = 0x96000000L | (pf.write() ? 0x40 : 0) | (protection ? 0x0f : 0x05);
        line("\0011", "Unable to handle kernel " + (protection && pf.write() ? "write to read-only memory"
                : "paging request") + " at virtual address " + addr);
        line("\0011", "Mem abort info:");
        line("\0011", String.format("  ESR = 0x%016x", esr));
        return die(cpu, String.format("Internal error: Oops: %016x", esr), ip, pf.toString());
    }

    private RuntimeException die(Cpu cpu, String what, long ip, String reason) {
        int n = dieCounter.incrementAndGet();
        line("\001d", what + " [#" + n + "] PREEMPT SMP" + (arch == Arch.X86_64 ? " NOPTI" : ""));
        if (arch == Arch.ARM64) {
            line("\001d", "Modules linked in:" + modulesLinkedIn.get());
        }
        line("\001d", header(cpu));
        line("\001d", hardware());
        registers(cpu, ip, "\001d");
        callTrace(cpu, "\001d", List.of());
        if (arch == Arch.X86_64) {
            line("\001d", "Modules linked in:" + modulesLinkedIn.get());
        }
        line("\0014", "---[ end trace 0000000000000000 ]---");
        taint.add(Taint.Flag.DIE);
        if (cpu != null && cpu.task() != null) {
            cpu.task().setState(Task.State.DEAD, 11);
        }
        if (panicOnOops != 0) {
            boolean inInterrupt = cpu != null && (cpu.preemptCount() & 0xfff00) != 0;
            return panic(cpu, arch == Arch.ARM64 ? "Oops: Fatal exception"
                    : inInterrupt ? "Fatal exception in interrupt" : "Fatal exception");
        }
        return new TaskKilled(reason);
    }
}
