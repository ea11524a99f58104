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
}
