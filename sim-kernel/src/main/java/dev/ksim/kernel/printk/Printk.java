package dev.ksim.kernel.printk;

import java.util.function.LongSupplier;

/**
 * The kernel side of {@code printk}: {@code vprintk_emit()} and {@code vprintk_store()} of
 * {@code kernel/printk/printk.c}. It formats with {@link Vsprintf}, takes the level and
 * {@code KERN_CONT} from the formatted text's header, strips header and trailing newline, and stores
 * the record in the {@link LogBuffer}, merging continuations as the kernel does.
 *
 * <h2>Semantics (kernel ≥ 5.10)</h2>
 * <ul>
 * <li>The timestamp is taken when the call starts, before formatting.</li>
 * <li>The whole format is formatted, header included, into at most 1023 characters
 *     ({@code PRINTKRB_RECORD_MAX - 1}); only then is a trailing newline stripped (so a message cut
 *     off at the limit loses its newline) and the header ({@code KERN_SOH} + level or {@code c},
 *     possibly several) removed. Level and {@code KERN_CONT} are read from the first 7 characters,
 *     and the first level wins; without one the level is {@link #defaultMessageLoglevel()} (4).
 *     Because the header is parsed after formatting, it may also come from a {@code %s} argument.</li>
 * <li>A {@code KERN_CONT} fragment is appended to the previous record if that record is still open
 *     (no newline yet, nothing stored since), comes from the same caller ({@link CallerInfo}) and the
 *     result fits in 1024 bytes; its own level is then ignored. Otherwise it becomes a record of its
 *     own, flagged {@link LogRecord#LOG_CONT}, with the level it names or the default.</li>
 * <li>A message without a trailing newline stays open for continuation (see {@link LogBuffer}).</li>
 * <li>The return value is the number of characters stored: without header and trailing newline.</li>
 * <li>printk from within printk (e.g. a listener) nests at most 3 deep; deeper calls are dropped
 *     and return 0 ({@code PRINTK_MAX_RECURSION}).</li>
 * </ul>
 * {@code KERN_DEFAULT} ({@code "\001d"}) is accepted as a header that sets no level, as kernels up to
 * 5.x did; current kernels define it as {@code ""}, and ksim's SDK still uses the old spelling.
 *
 * <h2>Threads</h2>
 * Thread-safe: any number of threads may print at once. Per-call scratch state (text buffer and
 * recursion depth, a {@link Context}) is the caller's per-CPU one, as the kernel's
 * {@code printk_count} is per CPU, or else thread-local; the default level is volatile; storing is
 * serialized by the {@link LogBuffer}.
 */
public final class Printk {

    /** {@code LOGLEVEL_DEFAULT}: "no level given" for {@link #vprintkEmit}. */
    public static final int LOGLEVEL_DEFAULT = -1;
    /** {@code CONFIG_MESSAGE_LOGLEVEL_DEFAULT}'s default. */
    public static final int MESSAGE_LOGLEVEL_DEFAULT = 4;
    /** {@code PRINTK_MAX_RECURSION}. */
    static final int MAX_RECURSION = 3;
    /** The kernel parses the header from an 8-byte {@code prefix_buf}: 7 characters and a NUL. */
    private static final int PREFIX_BUF_CHARS = 7;
    private static final char KERN_SOH = '\001';

    private static final ThreadLocal<Context> SCRATCH = ThreadLocal.withInitial(Context::new);

    private final LogBuffer log;
    private final Vsprintf vsprintf;
    private final LongSupplier clock;
    /** {@code default_message_loglevel} (second field of {@code /proc/sys/kernel/printk}). */
    private volatile int defaultMessageLoglevel = MESSAGE_LOGLEVEL_DEFAULT;

    /**
     * Creates the printk front end.
     *
     * @param log where records go
     * @param vsprintf the formatter (its key and symbol lookup decide {@code %p} and {@code %pS})
     * @param clockNanos {@code local_clock()}: nanoseconds since boot, possibly a virtual clock;
     *        called once per printk, from the printing thread
     */
    public Printk(LogBuffer log, Vsprintf vsprintf, LongSupplier clockNanos) {
        if (log == null || vsprintf == null || clockNanos == null) {
            throw new NullPointerException();
        }
        this.log = log;
        this.vsprintf = vsprintf;
        this.clock = clockNanos;
    }

    /** @return the buffer records are stored in */
    public LogBuffer log() {
        return log;
    }

    /** @return the formatter */
    public Vsprintf vsprintf() {
        return vsprintf;
    }

    /** @return the level of a printk that names none (default 4, {@code KERN_WARNING}) */
    public int defaultMessageLoglevel() {
        return defaultMessageLoglevel;
    }

    /**
     * Sets the level of a printk that names none ({@code echo "7 6 1 7" > /proc/sys/kernel/printk}).
     *
     * @param level 1..7 (the kernel's sysctl accepts that range)
     */
    public void setDefaultMessageLoglevel(int level) {
        if (level < 1 || level > 7) {
            throw new IllegalArgumentException("level must be 1..7: " + level);
        }
        defaultMessageLoglevel = level;
    }

    /**
     * {@code vprintk()}: a kernel message, level taken from the format's header.
     *
     * @param fmt the format, possibly starting with {@code KERN_*} headers
     * @param args its arguments
     * @param caller who prints; {@code null} means {@link CallerInfo#BOOT}
     * @return the number of characters stored
     */
    public int vprintk(String fmt, Object[] args, CallerInfo caller) {
        return vprintkEmit(0, LOGLEVEL_DEFAULT, fmt, args, caller);
    }

    /**
     * {@code vprintk()} with the caller's own scratch state: what a CPU's thread passes, its per-CPU
     * context, instead of looking up a thread-local one.
     *
     * @param fmt the format, possibly starting with {@code KERN_*} headers
     * @param args its arguments
     * @param caller who prints; {@code null} means {@link CallerInfo#BOOT}
     * @param context the calling CPU's context, used by one thread at a time (the CPU's)
     * @return the number of characters stored
     */
    public int vprintk(String fmt, Object[] args, CallerInfo caller, Context context) {
        return vprintkEmit(0, LOGLEVEL_DEFAULT, fmt, args, caller, context);
    }

    /**
     * {@code vprintk_emit()}. Facility 0 is the kernel: headers are parsed and stripped. Any other
     * facility ({@code /dev/kmsg} writes use 1, {@code LOG_USER}, formatting {@code "%s"}) keeps the
     * text as is and uses {@code level}.
     *
     * @param facility the syslog facility
     * @param level 0..7, or {@link #LOGLEVEL_DEFAULT}
     * @param fmt the format
     * @param args its arguments
     * @param caller who prints; {@code null} means {@link CallerInfo#BOOT}
     * @return the number of characters stored (0 if the call was dropped)
     */
    public int vprintkEmit(int facility, int level, String fmt, Object[] args, CallerInfo caller) {
        return vprintkEmit(facility, level, fmt, args, caller, SCRATCH.get());
    }

    private int vprintkEmit(int facility, int level, String fmt, Object[] args, CallerInfo caller,
            Context scratch) {
        if (scratch.depth > MAX_RECURSION) {
            return 0;
        }
        long ts = clock.getAsLong();
        scratch.depth++;
        FormatBuffer out = scratch.depth == 1 ? scratch.text : new FormatBuffer();
        out.inUse = true;
        try {
            CallerInfo who = caller != null ? caller : CallerInfo.BOOT;
            int full = vsprintf.vsnprintf(out, LogBuffer.RECORD_MAX, fmt, args, who.inIrq());
            int reserveSize = Math.min(full, LogBuffer.RECORD_MAX - 1) + 1;
            char[] buf = out.buf;
            int end = out.len; // text_len: at most RECORD_MAX - 1

            int flags = 0;
            int lvl = level;
            if (facility == 0) {
                // printk_parse_prefix() on prefix_buf: level and KERN_CONT from the first 7 chars
                int window = Math.min(end, PREFIX_BUF_CHARS);
                for (int k = 0; k + 1 < window && isHeader(buf[k], buf[k + 1]); k += 2) {
                    char kl = buf[k + 1];
                    if (kl >= '0' && kl <= '7') {
                        if (lvl == LOGLEVEL_DEFAULT) {
                            lvl = kl - '0';
                        }
                    } else if (kl == 'c') {
                        flags |= LogRecord.LOG_CONT;
                    }
                }
            }
            if (lvl == LOGLEVEL_DEFAULT) {
                lvl = defaultMessageLoglevel;
            }
            // printk_sprint(): mark and strip one trailing newline, then strip the headers
            int len = end;
            if (len > 0 && buf[len - 1] == '\n') {
                len--;
                flags |= LogRecord.LOG_NEWLINE;
            }
            int start = 0;
            if (facility == 0) {
                while (start + 1 < end && isHeader(buf[start], buf[start + 1])) {
                    start += 2;
                }
                start = Math.min(start, len); // a header never ends in the stripped newline
            }
            log.store(ts, facility, lvl & 7, flags, who.callerId(), buf, start, len - start, reserveSize);
            return len - start;
        } finally {
            out.inUse = false;
            scratch.depth--;
        }
    }

    /** {@code printk_get_level()}: {@code KERN_SOH} followed by 0-7, {@code c} or (legacy) {@code d}. */
    private static boolean isHeader(char soh, char level) {
        return soh == KERN_SOH && ((level >= '0' && level <= '7') || level == 'c' || level == 'd');
    }

    /**
     * The scratch state of one CPU (or of a thread on no CPU): its text buffer and its printk recursion
     * depth ({@code printk_count}). Used by one thread at a time, the one running that CPU.
     */
    public static final class Context {
        final FormatBuffer text = new FormatBuffer();
        int depth;
    }
}
