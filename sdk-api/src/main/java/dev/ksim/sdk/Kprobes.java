package dev.ksim.sdk;

import dev.ksim.sdk.spi.KernelBinding;

/**
 * The kprobes API of {@code <linux/kprobes.h>}. Use it with {@code import static dev.ksim.sdk.Kprobes.*;}
 * so module code reads as C does.
 *
 * <p>Registration functions return what the kernel returns: 0, or a negative errno such as
 * {@code -EINVAL} (symbol and address both or neither set, a blacklisted or non-text address, a struct
 * registered twice), {@code -ENOENT} (unknown symbol), {@code -EILSEQ} (an offset off an instruction
 * boundary). They may sleep: call them from {@code init}/{@code exit}, never from a handler. All
 * kprobe exports are GPL-only: a module whose license is not GPL-compatible cannot link against them.
 */
public final class Kprobes {
    private Kprobes() {
    }

    /**
     * Registers a kprobe and arms it. On success the resolved address is written into {@code p.addr}.
     *
     * @param p the probe
     * @return 0 or a negative errno
     */
    public static int register_kprobe(Kprobe p) {
        return KernelBinding.current().register_kprobe(p);
    }

    /**
     * Unregisters a kprobe. When it returns, no handler of the probe is running or will run. A probe
     * that is not registered is ignored silently.
     *
     * @param p the probe
     */
    public static void unregister_kprobe(Kprobe p) {
        KernelBinding.current().unregister_kprobe(p);
    }

    /**
     * Registers several kprobes: all of them, or (on the first failure) none.
     *
     * @param kps the probes
     * @param num how many of them
     * @return 0, {@code -EINVAL} for {@code num <= 0}, or the first failure's errno
     */
    public static int register_kprobes(Kprobe[] kps, int num) {
        return KernelBinding.current().register_kprobes(kps, num);
    }

    /**
     * Unregisters several kprobes with one wait for running handlers.
     *
     * @param kps the probes
     * @param num how many of them
     */
    public static void unregister_kprobes(Kprobe[] kps, int num) {
        KernelBinding.current().unregister_kprobes(kps, num);
    }

    /**
     * Re-arms a disabled probe.
     *
     * @param p the probe
     * @return 0, or {@code -EINVAL} if it is not registered or its code is gone
     */
    public static int enable_kprobe(Kprobe p) {
        return KernelBinding.current().enable_kprobe(p);
    }

    /**
     * Disables a probe without unregistering it: its handlers stop being called.
     *
     * @param p the probe
     * @return 0, or {@code -EINVAL} if it is not registered
     */
    public static int disable_kprobe(Kprobe p) {
        return KernelBinding.current().disable_kprobe(p);
    }

    /**
     * Registers a kretprobe on a function's entry.
     *
     * @param rp the kretprobe
     * @return 0 or a negative errno ({@code -EINVAL} off a function entry, {@code -E2BIG} for a
     *     data_size over 4096, …)
     */
    public static int register_kretprobe(Kretprobe rp) {
        return KernelBinding.current().register_kretprobe(rp);
    }

    /** Unregisters a kretprobe; calls still in flight return without their handler. @param rp the kretprobe */
    public static void unregister_kretprobe(Kretprobe rp) {
        KernelBinding.current().unregister_kretprobe(rp);
    }

    /**
     * Registers several kretprobes, all or none.
     *
     * @param rps the kretprobes
     * @param num how many
     * @return 0 or a negative errno
     */
    public static int register_kretprobes(Kretprobe[] rps, int num) {
        return KernelBinding.current().register_kretprobes(rps, num);
    }

    /** Unregisters several kretprobes. @param rps the kretprobes @param num how many */
    public static void unregister_kretprobes(Kretprobe[] rps, int num) {
        KernelBinding.current().unregister_kretprobes(rps, num);
    }

    /**
     * Disables a kretprobe: {@code disable_kprobe(&rp->kp)}.
     *
     * @param rp the kretprobe
     * @return 0 or a negative errno
     */
    public static int disable_kretprobe(Kretprobe rp) {
        return disable_kprobe(rp.kp);
    }

    /**
     * Enables a kretprobe: {@code enable_kprobe(&rp->kp)}.
     *
     * @param rp the kretprobe
     * @return 0 or a negative errno
     */
    public static int enable_kretprobe(Kretprobe rp) {
        return enable_kprobe(rp.kp);
    }

    /**
     * Registers a jprobe (kernel profiles up to 4.14; later profiles return {@code -ENOSYS}).
     *
     * @param jp the jprobe
     * @return 0 or a negative errno
     */
    public static int register_jprobe(Jprobe jp) {
        return KernelBinding.current().register_jprobe(jp);
    }

    /** Unregisters a jprobe. @param jp the jprobe */
    public static void unregister_jprobe(Jprobe jp) {
        KernelBinding.current().unregister_jprobe(jp);
    }

    /**
     * Registers several jprobes, all or none.
     *
     * @param jps the jprobes
     * @param num how many
     * @return 0 or a negative errno
     */
    public static int register_jprobes(Jprobe[] jps, int num) {
        return KernelBinding.current().register_jprobes(jps, num);
    }

    /** Unregisters several jprobes. @param jps the jprobes @param num how many */
    public static void unregister_jprobes(Jprobe[] jps, int num) {
        KernelBinding.current().unregister_jprobes(jps, num);
    }

    /** Ends a jprobe handler; every jprobe entry must call it last. */
    public static void jprobe_return() {
        KernelBinding.current().jprobe_return();
    }

    /** @return the probe whose handler is running on this CPU, or {@code null} */
    public static Kprobe kprobe_running() {
        return KernelBinding.current().kprobe_running();
    }

    /**
     * {@code regs_return_value}: a function's return value, in a kretprobe's return handler.
     *
     * @param regs the registers
     * @return {@code ax} on x86_64, {@code x0} on arm64
     */
    public static long regs_return_value(PtRegs regs) {
        return regs.returnValue();
    }

    /**
     * {@code regs_get_kernel_argument}: the n-th argument (0-based) at a function's entry.
     *
     * @param regs the registers
     * @param n the argument's index
     * @return its value, or 0 past the argument registers
     */
    public static long regs_get_kernel_argument(PtRegs regs, int n) {
        return regs.kernelArgument(n);
    }

    /**
     * {@code instruction_pointer}.
     *
     * @param regs the registers
     * @return {@code ip} on x86_64, {@code pc} on arm64
     */
    public static long instruction_pointer(PtRegs regs) {
        return regs.instructionPointer();
    }

    /**
     * {@code kprobe_gone}: whether the probed code was freed.
     *
     * @param p the probe
     * @return true if {@link Kprobe#KPROBE_FLAG_GONE} is set
     */
    public static boolean kprobe_gone(Kprobe p) {
        return (p.flags & Kprobe.KPROBE_FLAG_GONE) != 0;
    }

    /**
     * {@code kprobe_disabled}: whether the probe is disabled (a gone probe counts as disabled).
     *
     * @param p the probe
     * @return true if disabled or gone
     */
    public static boolean kprobe_disabled(Kprobe p) {
        return (p.flags & (Kprobe.KPROBE_FLAG_DISABLED | Kprobe.KPROBE_FLAG_GONE)) != 0;
    }
}
