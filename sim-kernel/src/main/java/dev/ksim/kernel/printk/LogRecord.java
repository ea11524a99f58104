package dev.ksim.kernel.printk;

/**
 * One finalized record of the kernel log ({@code struct printk_info} plus its text), as {@code dmesg}
 * and {@code /dev/kmsg} read it. Immutable.
 *
 * @param seq the record's sequence number; consecutive, starting at 0 at boot
 * @param timestampNanos {@code ts_nsec}: nanoseconds since boot when the (first fragment of the)
 *        message was printed
 * @param facility the syslog facility: 0 ({@code LOG_KERN}) for printk, 1 ({@code LOG_USER}) for
 *        text written to {@code /dev/kmsg}
 * @param level the log level 0 ({@code KERN_EMERG}) … 7 ({@code KERN_DEBUG})
 * @param flags {@link #LOG_NEWLINE} and/or {@link #LOG_CONT}
 * @param callerId the printing task's pid, or {@link CallerInfo#CPU_FLAG} | cpu (see
 *        {@link CallerInfo#callerId()})
 * @param text the message without level prefix and without its trailing newline; may contain
 *        further newlines (a multi-line record) and any other character
 */
public record LogRecord(long seq, long timestampNanos, int facility, int level, int flags, int callerId,
        String text) {

    /** {@code LOG_NEWLINE}: the text ended with a newline (the line was terminated). */
    public static final int LOG_NEWLINE = 2;
    /** {@code LOG_CONT}: the record began as a {@code KERN_CONT} fragment that could not be merged. */
    public static final int LOG_CONT = 8;

    /**
     * Checks the invariants.
     *
     * @param seq {@code >= 0}
     * @param timestampNanos the timestamp
     * @param facility {@code >= 0}
     * @param level 0..7
     * @param flags the flags
     * @param callerId the caller id
     * @param text never {@code null}
     */
    public LogRecord {
        if (seq < 0 || facility < 0 || level < 0 || level > 7) {
            throw new IllegalArgumentException("seq=" + seq + " facility=" + facility + " level=" + level);
        }
        if (text == null) {
            throw new NullPointerException("text");
        }
    }

    /** @return the syslog priority {@code facility << 3 | level}, as {@code /dev/kmsg} shows it */
    public int prio() {
        return facility << 3 | level;
    }

    /** @return whether {@link #LOG_CONT} is set ({@code c} in {@code /dev/kmsg}'s flags field) */
    public boolean isContinuation() {
        return (flags & LOG_CONT) != 0;
    }

    /** @return the caller as the kernel prints it: {@code T<pid>} or {@code C<cpu>} */
    public String caller() {
        return CallerInfo.format(callerId);
    }
}
