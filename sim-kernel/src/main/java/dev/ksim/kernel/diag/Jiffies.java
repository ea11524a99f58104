package dev.ksim.kernel.diag;

/** The {@code jiffies} counter of a {@code CONFIG_HZ=250} kernel, derived from the monotonic clock. */
public final class Jiffies {
    /** {@code HZ}: timer ticks per second. */
    public static final long HZ = 250;
    /**
     * {@code INITIAL_JIFFIES}: {@code (unsigned long)(unsigned int)(-300 * HZ)}, so that the 32-bit
     * counter wraps five minutes after boot and wrap bugs show early.
     */
    public static final long INITIAL_JIFFIES = (-300 * HZ) & 0xffffffffL;

    private Jiffies() {
    }

    /**
     * @param monotonicNanos nanoseconds since boot
     * @return {@code jiffies} at that time
     */
    public static long at(long monotonicNanos) {
        return INITIAL_JIFFIES + monotonicNanos / (1_000_000_000L / HZ);
    }
}
