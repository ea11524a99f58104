package dev.ksim.sdk;

/**
 * {@code struct kprobe}: a breakpoint on one kernel instruction, with handlers called when it is hit.
 *
 * <p>Fields mirror the C struct so kernel code ports line for line:
 *
 * <pre>{@code
 * static Kprobe kp = new Kprobe();
 * int init() {
 *     kp.symbol_name = "kernel_clone";
 *     kp.pre_handler = this::handler_pre;
 *     int ret = register_kprobe(kp);
 *     if (ret < 0) return ret;
 *     pr_info("Planted kprobe at %p\n", kp.addr);
 *     return 0;
 * }
 * }</pre>
 *
 * <p>Set either {@link #symbol_name} (plus an optional {@link #offset}) or {@link #addr}, never both:
 * {@code register_kprobe} writes the resolved address back into {@code addr}, so to register the same
 * struct again after unregistering it clear {@code addr} and {@code flags} first, as the kernel's
 * self-test does. The struct must stay reachable and unchanged while registered.
 */
public class Kprobe {
    /** {@code KPROBE_FLAG_GONE}: the probed code was freed (its module unloaded); the probe never fires. */
    public static final int KPROBE_FLAG_GONE = 1;
    /** {@code KPROBE_FLAG_DISABLED}: registered but disabled; the only flag a caller may pass in. */
    public static final int KPROBE_FLAG_DISABLED = 2;
    /** {@code KPROBE_FLAG_OPTIMIZED}: the probe is (being) jump-optimised. */
    public static final int KPROBE_FLAG_OPTIMIZED = 4;
    /** {@code KPROBE_FLAG_FTRACE}: the probe is implemented through ftrace. */
    public static final int KPROBE_FLAG_FTRACE = 8;
    /** {@code KPROBE_FLAG_ON_FUNC_ENTRY}: the probe sits on a function's entry. */
    public static final int KPROBE_FLAG_ON_FUNC_ENTRY = 16;

    /** Name of the probed function; {@code null} when probing by {@link #addr}. */
    public String symbol_name;
    /** Probed address; written back by {@code register_kprobe}, and kept after unregistering. */
    public long addr;
    /** Byte offset into {@link #symbol_name} (or from {@link #addr}); unsigned, as in C. */
    public int offset;
    /** Called before the probed instruction executes; may be {@code null}. */
    public KprobePreHandler pre_handler;
    /** Called after the probed instruction was single-stepped; may be {@code null}. */
    public KprobePostHandler post_handler;
    /** Called when a handler faults; only on kernel profiles before 5.14. May be {@code null}. */
    public KprobeFaultHandler fault_handler;
    /**
     * Hits for which this probe's handlers did not run (a probe hit while another handler ran on the
     * same CPU, …). Reset to 0 by {@code register_kprobe}; updated atomically by the kernel.
     */
    public volatile long nmissed;
    /** {@code KPROBE_FLAG_*} bits; only {@link #KPROBE_FLAG_DISABLED} may be set before registering. */
    public volatile int flags;
    /** The original instruction the breakpoint replaced (x86: one byte; arm64: one 32-bit word). */
    public int opcode;

    /** An empty probe; set {@link #symbol_name} or {@link #addr} and the handlers before registering. */
    public Kprobe() {
    }

    /**
     * A probe on a function's entry.
     *
     * @param symbol_name the function to probe
     */
    public Kprobe(String symbol_name) {
        this.symbol_name = symbol_name;
    }

    @Override
    public String toString() {
        return "kprobe{symbol_name=" + symbol_name + ", offset=0x" + Integer.toHexString(offset) + ", addr=0x"
                + Long.toHexString(addr) + ", flags=0x" + Integer.toHexString(flags) + ", nmissed=" + nmissed + "}";
    }
}
