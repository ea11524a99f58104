package dev.ksim.sdk;

/**
 * {@code struct kretprobe}: runs {@link #handler} when a probed function returns, and optionally
 * {@link #entry_handler} when it is entered.
 *
 * <p>{@code register_kretprobe} preallocates {@link #maxactive} instances (default
 * {@code max(10, 2 * NR_CPUS)} when {@code maxactive <= 0}); a call made while all are in use is not
 * tracked and counts in {@link #nmissed}. Only a function's entry can be probed.
 */
public class Kretprobe {
    /** The maximum {@link #data_size}: {@code KRETPROBE_MAX_DATA_SIZE}. */
    public static final int KRETPROBE_MAX_DATA_SIZE = 4096;

    /** The entry probe; set {@code kp.symbol_name} or {@code kp.addr}. Its handlers are the kernel's. */
    public final Kprobe kp = new Kprobe();
    /** Called when the probed function returns. */
    public KretprobeHandler handler;
    /** Called at function entry; returning non-zero skips the return handler for that call. May be null. */
    public KretprobeHandler entry_handler;
    /** How many calls may be tracked at once; {@code <= 0} picks the kernel's default. */
    public int maxactive;
    /** Calls not tracked because no instance was free. Updated by the kernel. */
    public volatile int nmissed;
    /** Bytes of private data per instance ({@link KretprobeInstance#data}), at most 4096. */
    public int data_size;

    /** An empty kretprobe; set {@code kp.symbol_name} and {@link #handler} before registering. */
    public Kretprobe() {
    }

    /**
     * A kretprobe on a function.
     *
     * @param symbol_name the function whose returns are probed
     */
    public Kretprobe(String symbol_name) {
        kp.symbol_name = symbol_name;
    }
}
