package dev.ksim.sdk;

import dev.ksim.sdk.spi.KernelBinding;

/**
 * Kernel services for module code, named as in C. Use it with
 * {@code import static dev.ksim.sdk.Kernel.*;}.
 */
public final class Kernel {
    private Kernel() {
    }

    /**
     * {@code stack_trace_save}: stores the current call chain's return addresses, innermost first. A
     * frame whose return slot a kretprobe hijacked shows its real return address, as kernels with
     * {@code CONFIG_ARCH_CORRECT_STACKTRACE_ON_KRETPROBE} do.
     *
     * @param store the buffer
     * @param size how many entries to store at most
     * @param skipnr how many innermost entries to skip
     * @return the number of entries stored
     */
    public static int stack_trace_save(long[] store, int size, int skipnr) {
        return KernelBinding.current().stack_trace_save(store, size, skipnr);
    }

    /**
     * {@code stack_trace_save_regs}: like {@link #stack_trace_save} but starting at {@code regs}'
     * instruction pointer — in a kretprobe return handler, the real return address.
     *
     * @param regs a handler's registers
     * @param store the buffer
     * @param size how many entries to store at most
     * @param skipnr how many innermost entries to skip
     * @return the number of entries stored
     */
    public static int stack_trace_save_regs(PtRegs regs, long[] store, int size, int skipnr) {
        return KernelBinding.current().stack_trace_save_regs(regs, store, size, skipnr);
    }

    /**
     * {@code __builtin_return_address(level)}: the calling function's return address as its stack slot
     * holds it. While a kretprobe tracks the call that is the trampoline
     * ({@code __kretprobe_trampoline}), as in the kernel.
     *
     * @param level 0 for the calling function, 1 for its caller, …
     * @return the address
     */
    public static long __builtin_return_address(int level) {
        return KernelBinding.current().return_address(level);
    }

    /** @return {@code preemptible()}: false in every probe handler */
    public static boolean preemptible() {
        return KernelBinding.current().preemptible();
    }

    /** @return {@code ktime_get()}: the monotonic clock in nanoseconds (a {@code ktime_t}) */
    public static long ktime_get() {
        return KernelBinding.current().ktime_get_ns();
    }

    /** @return {@code ktime_get_ns()}: the monotonic clock in nanoseconds */
    public static long ktime_get_ns() {
        return KernelBinding.current().ktime_get_ns();
    }

    /**
     * {@code ktime_to_ns}.
     *
     * @param kt a {@code ktime_t}
     * @return it in nanoseconds (ktime_t already counts nanoseconds)
     */
    public static long ktime_to_ns(long kt) {
        return kt;
    }

    /**
     * {@code ktime_sub}.
     *
     * @param a a time
     * @param b an earlier time
     * @return {@code a - b}
     */
    public static long ktime_sub(long a, long b) {
        return a - b;
    }

    // ---------------------------------------------------------------- context (<linux/preempt.h>)

    /** {@code HZ}: {@link #jiffies()} per second. */
    public static final long HZ = 250;

    private static final int SOFTIRQ_MASK = 0xff00;
    private static final int HARDIRQ_MASK = 0xf0000;
    private static final int NMI_MASK = 0xf00000;

    /** @return {@code preempt_count()}: preemption (bits 0-7), softirq (8-15), hardirq (16-19), NMI (20-23) */
    public static int preempt_count() {
        return KernelBinding.current().preempt_count();
    }

    /** @return {@code in_atomic()}: the preempt count is not zero — true in every probe handler */
    public static boolean in_atomic() {
        return preempt_count() != 0;
    }

    /** @return {@code in_interrupt()}: in NMI, hardirq or softirq context */
    public static boolean in_interrupt() {
        return (preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK)) != 0;
    }

    /** @return {@code in_hardirq()}: in hardirq (or NMI) context, as a timer interrupt is */
    public static boolean in_hardirq() {
        return (preempt_count() & HARDIRQ_MASK) != 0;
    }

    /** @return {@code in_nmi()}: in NMI context — on x86 since 5.8, every int3-path kprobe handler */
    public static boolean in_nmi() {
        return (preempt_count() & NMI_MASK) != 0;
    }

    /** @return {@code in_task()}: in process context */
    public static boolean in_task() {
        return !in_interrupt();
    }

    /** @return {@code irqs_disabled()}: interrupts are masked on this CPU */
    public static boolean irqs_disabled() {
        return KernelBinding.current().irqs_disabled();
    }

    /** @return {@code smp_processor_id()}: the CPU this code runs on */
    public static int smp_processor_id() {
        return KernelBinding.current().smp_processor_id();
    }

    /** @return {@code jiffies}: ticks since boot, {@link #HZ} per second, starting five minutes before wrap */
    public static long jiffies() {
        return KernelBinding.current().jiffies();
    }

    // ---------------------------------------------------------------- sleeping (<linux/delay.h>, <linux/sched.h>)

    /**
     * {@code might_sleep()}: documents that the caller may sleep. Called in atomic context — a probe
     * handler — it reports {@code BUG: sleeping function called from invalid context at FILE:LINE} with the
     * calling source line, a stack dump and taint W, at most once a second.
     */
    public static void might_sleep() {
        StackWalker.StackFrame f = caller();
        KernelBinding.current().__might_sleep(sourcePath(f), f.getLineNumber());
    }

    /**
     * {@code msleep}: sleeps at least {@code msecs} milliseconds. Must not be called in atomic context:
     * there it reports as {@link #might_sleep()} does, and the CPU busy-waits instead.
     *
     * @param msecs milliseconds
     */
    public static void msleep(int msecs) {
        KernelBinding.current().msleep(msecs);
    }

    /**
     * {@code ssleep}: {@code msleep(seconds * 1000)}.
     *
     * @param seconds seconds
     */
    public static void ssleep(int seconds) {
        msleep(seconds * 1000);
    }

    /**
     * {@code usleep_range}: sleeps between {@code min} and {@code max} microseconds; may sleep, as
     * {@link #msleep}.
     *
     * @param min the shortest sleep in microseconds
     * @param max the longest sleep in microseconds
     */
    public static void usleep_range(long min, long max) {
        KernelBinding.current().usleep_range(min, max);
    }

    /**
     * {@code schedule()}: gives the CPU to another task. In atomic context the kernel reports
     * {@code BUG: scheduling while atomic: comm/pid/0x%08x} (every time), dumps the stack, taints W and
     * switches anyway.
     */
    public static void schedule() {
        KernelBinding.current().schedule();
    }

    /**
     * {@code cond_resched()}: {@code might_sleep()} at the calling line, then reschedules if needed.
     *
     * @return 1 if the task was rescheduled
     */
    public static int cond_resched() {
        StackWalker.StackFrame f = caller();
        KernelBinding.current().__might_sleep(sourcePath(f), f.getLineNumber());
        return KernelBinding.current().__cond_resched();
    }

    /** {@code dump_stack()}: prints the CPU/task header and the current call trace to the kernel log. */
    public static void dump_stack() {
        KernelBinding.current().dump_stack();
    }

    private static StackWalker.StackFrame caller() {
        return StackWalker.getInstance().walk(s -> s.skip(2).findFirst()).orElseThrow();
    }

    /** {@code __FILE__} of a Java frame: its package as a directory, then the source file. */
    private static String sourcePath(StackWalker.StackFrame f) {
        String cls = f.getClassName();
        int dot = cls.lastIndexOf('.');
        String dir = dot < 0 ? "" : cls.substring(0, dot).replace('.', '/') + "/";
        return dir + (f.getFileName() != null ? f.getFileName() : cls.substring(dot + 1) + ".java");
    }
}
