package dev.ksim.kernel.printk;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * What util-linux {@code dmesg(1)} prints for records read from {@code /dev/kmsg}: an immutable set
 * of options ({@code -l -f -k -u -t -T -x -r -p --noescape}) and the rendering of records under them.
 *
 * <p>Default output is {@code [%5ld.%06ld] message}. Unlike the kernel's own
 * {@link KernelLogFormat#recordPrintText} (consoles, {@code /proc/kmsg}, {@code dmesg -S}), dmesg
 * prints the prefix once per record and indents the further lines of a multi-line record by the
 * prefix width; {@link #forcePrefix(boolean) -p} repeats the prefix on every (non-empty) line
 * instead. An empty record prints an empty line without prefix. Characters that are neither
 * printable nor white space are shown as {@code \xNN} (per UTF-8 byte) unless
 * {@link #noEscape(boolean) --noescape}.
 *
 * <p>Instances are immutable and thread-safe; the {@code with}-style methods return copies.
 */
public final class Dmesg {

    /** Timestamp styles. */
    public enum TimeFormat {
        /** {@code -t}: no timestamp. */
        NONE,
        /** The default: {@code [    1.234567] }. */
        TIME,
        /** {@code -T}: {@code [Mon Jan  2 15:04:05 2006] }, from the boot time given to {@link #ctime}. */
        CTIME
    }

    private static final String[] LEVEL_NAMES = {
        "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
    };
    private static final String[] FACILITY_NAMES = {
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv",
        "ftp", "res0", "res1", "res2", "res3", "local0", "local1", "local2", "local3", "local4",
        "local5", "local6", "local7",
    };
    private static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

    private final int levelMask;
    private final int facilityMask;
    private final TimeFormat time;
    private final long bootEpochMicros;
    private final ZoneId zone;
    private final boolean decode;
    private final boolean raw;
    private final boolean forcePrefix;
    private final boolean noEscape;
    private final int callerWidth;

    private Dmesg(int levelMask, int facilityMask, TimeFormat time, long bootEpochMicros, ZoneId zone,
            boolean decode, boolean raw, boolean forcePrefix, boolean noEscape, int callerWidth) {
        this.levelMask = levelMask;
        this.facilityMask = facilityMask;
        this.time = time;
        this.bootEpochMicros = bootEpochMicros;
        this.zone = zone;
        this.decode = decode;
        this.raw = raw;
        this.forcePrefix = forcePrefix;
        this.noEscape = noEscape;
        this.callerWidth = callerWidth;
    }

    /** @return plain {@code dmesg}: all levels and facilities, {@code [time] } prefix */
    public static Dmesg defaults() {
        return new Dmesg(-1, -1, TimeFormat.TIME, 0, ZoneId.of("UTC"), false, false, false, false, 0);
    }

    /**
     * {@code -l}: only records of the listed levels.
     *
     * @param list comma-separated names ({@code emerg alert crit err warn notice info debug},
     *        any case) or numbers 0..7, e.g. {@code "err,warn"}
     * @return a copy with the filter
     * @throws IllegalArgumentException {@code unknown level 'x'} for a bad entry
     */
    public Dmesg levels(String list) {
        return new Dmesg(parseLevels(list), facilityMask, time, bootEpochMicros, zone, decode, raw,
                forcePrefix, noEscape, callerWidth);
    }

    /**
     * {@code -f}: only records of the listed facilities.
     *
     * @param list comma-separated names ({@code kern user mail …}) or numbers
     * @return a copy with the filter
     * @throws IllegalArgumentException {@code unknown facility 'x'} for a bad entry
     */
    public Dmesg facilities(String list) {
        int mask = 0;
        for (String item : list.split(",", -1)) {
            mask |= 1 << parseName(item, FACILITY_NAMES, "facility");
        }
        return new Dmesg(levelMask, mask, time, bootEpochMicros, zone, decode, raw, forcePrefix, noEscape,
                callerWidth);
    }

    /** @return a copy showing kernel messages only ({@code -k}) */
    public Dmesg kernelOnly() {
        return new Dmesg(levelMask, 1, time, bootEpochMicros, zone, decode, raw, forcePrefix, noEscape,
                callerWidth);
    }

    /** @return a copy showing userspace messages only ({@code -u}) */
    public Dmesg userspaceOnly() {
        return new Dmesg(levelMask, -1 & ~1, time, bootEpochMicros, zone, decode, raw, forcePrefix,
                noEscape, callerWidth);
    }

    /**
     * Selects {@link TimeFormat#NONE} ({@code -t}) or {@link TimeFormat#TIME}; for
     * {@link TimeFormat#CTIME} use {@link #ctime}.
     *
     * @param format the format
     * @return a copy
     */
    public Dmesg time(TimeFormat format) {
        return new Dmesg(levelMask, facilityMask, format, bootEpochMicros, zone, decode, raw, forcePrefix,
                noEscape, callerWidth);
    }

    /**
     * {@code -T}: wall-clock timestamps, computed as boot time plus the record's timestamp.
     *
     * @param bootEpochMicros the wall-clock time of boot, microseconds since the epoch
     * @param zone the local time zone
     * @return a copy
     */
    public Dmesg ctime(long bootEpochMicros, ZoneId zone) {
        return new Dmesg(levelMask, facilityMask, TimeFormat.CTIME, bootEpochMicros, zone, decode, raw,
                forcePrefix, noEscape, callerWidth);
    }

    /**
     * {@code -x}: prefix {@code facility:level: } names, e.g. {@code kern  :info  : }.
     *
     * @param on whether to decode
     * @return a copy
     */
    public Dmesg decode(boolean on) {
        return new Dmesg(levelMask, facilityMask, time, bootEpochMicros, zone, on, raw, forcePrefix, noEscape,
                callerWidth);
    }

    /**
     * {@code -r}: syslog-style {@code <prio>[time] } prefix.
     *
     * @param on whether to print raw
     * @return a copy
     */
    public Dmesg raw(boolean on) {
        return new Dmesg(levelMask, facilityMask, time, bootEpochMicros, zone, decode, on, forcePrefix, noEscape,
                callerWidth);
    }

    /**
     * {@code -p}: repeat the prefix on each line of a multi-line record.
     *
     * @param on whether to force the prefix
     * @return a copy
     */
    public Dmesg forcePrefix(boolean on) {
        return new Dmesg(levelMask, facilityMask, time, bootEpochMicros, zone, decode, raw, on, noEscape,
                callerWidth);
    }

    /**
     * {@code --noescape}: print unprintable characters as they are.
     *
     * @param on whether not to escape
     * @return a copy
     */
    public Dmesg noEscape(boolean on) {
        return new Dmesg(levelMask, facilityMask, time, bootEpochMicros, zone, decode, raw, forcePrefix, on,
                callerWidth);
    }

    /**
     * Shows the caller id as {@code [%*s] } after the timestamp, as dmesg does when the kernel has
     * CONFIG_PRINTK_CALLER.
     *
     * @param width the field width (dmesg uses the length of {@code /proc/sys/kernel/pid_max}'s
     *        contents); 0 hides the caller
     * @return a copy
     */
    public Dmesg caller(int width) {
        return new Dmesg(levelMask, facilityMask, time, bootEpochMicros, zone, decode, raw, forcePrefix,
                noEscape, Math.max(width, 0));
    }

    /**
     * The level and facility filters.
     *
     * @param r a record
     * @return whether dmesg prints it
     */
    public boolean accepts(LogRecord r) {
        return (levelMask & (1 << r.level())) != 0
                && (r.facility() >= 32 || (facilityMask & (1 << r.facility())) != 0);
    }

    /**
     * Renders records, one after another.
     *
     * @param records the records
     * @return the output
     */
    public String format(List<LogRecord> records) {
        StringBuilder sb = new StringBuilder();
        for (LogRecord r : records) {
            append(sb, r);
        }
        return sb.toString();
    }

    /**
     * Renders one record with its trailing newline.
     *
     * @param r the record
     * @return the output, empty if the filters reject it
     */
    public String format(LogRecord r) {
        StringBuilder sb = new StringBuilder(r.text().length() + 32);
        append(sb, r);
        return sb.toString();
    }

    /**
     * Appends {@link #format(LogRecord)}.
     *
     * @param sb where to append
     * @param r the record
     */
    public void append(StringBuilder sb, LogRecord r) {
        if (!accepts(r)) {
            return;
        }
        String text = r.text();
        if (text.isEmpty()) {
            sb.append('\n');
            return;
        }
        StringBuilder prefix = new StringBuilder(48);
        if (raw) {
            prefix.append('<').append(r.prio()).append('>');
            KernelLogFormat.appendTime(prefix, r.timestampNanos());
            prefix.append(' ');
        } else {
            if (decode && r.facility() < FACILITY_NAMES.length) {
                padRight(prefix, FACILITY_NAMES[r.facility()], 6).append(':');
                padRight(prefix, LEVEL_NAMES[r.level()], 6).append(": ");
            }
            if (time == TimeFormat.TIME) {
                KernelLogFormat.appendTime(prefix, r.timestampNanos());
                prefix.append(' ');
            } else if (time == TimeFormat.CTIME) {
                long micros = bootEpochMicros + Long.divideUnsigned(r.timestampNanos(), 1000);
                prefix.append('[').append(CTIME.format(Instant.ofEpochSecond(
                        Math.floorDiv(micros, 1_000_000L)).atZone(zone))).append("] ");
            }
        }
        if (callerWidth > 0) {
            String id = r.caller();
            prefix.append('[');
            for (int k = id.length(); k < callerWidth; k++) {
                prefix.append(' ');
            }
            prefix.append(id).append("] ");
        }
        if (forcePrefix) {
            boolean first = true;
            for (String line : text.split("\n")) {
                if (line.isEmpty()) {
                    continue; // strtok() skips empty lines
                }
                if (!first) {
                    sb.append('\n');
                }
                first = false;
                sb.append(prefix);
                appendEscaped(sb, line, 0);
            }
        } else {
            sb.append(prefix);
            appendEscaped(sb, text, prefix.length());
        }
        sb.append('\n');
    }

    /** {@code safe_fwrite()}: escapes unprintable characters and indents continuation lines. */
    private void appendEscaped(StringBuilder sb, String text, int indent) {
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '\n') {
                sb.append(c);
                if (k + 1 < text.length() && text.charAt(k + 1) != '\0') {
                    for (int s = 0; s < indent; s++) {
                        sb.append(' ');
                    }
                }
            } else if (noEscape || isPrintableOrSpace(c)) {
                sb.append(c);
            } else {
                int end = Character.isHighSurrogate(c) && k + 1 < text.length() ? k + 2 : k + 1;
                for (byte b : text.substring(k, end).getBytes(StandardCharsets.UTF_8)) {
                    sb.append("\\x").append(Character.forDigit((b >> 4) & 0xf, 16))
                            .append(Character.forDigit(b & 0xf, 16));
                }
                k = end - 1;
            }
        }
    }

    /** {@code isprint() || isspace()} (or {@code iswprint} for non-ASCII in a UTF-8 locale). */
    private static boolean isPrintableOrSpace(char c) {
        if (c < 0x80) {
            return (c >= ' ' && c < 0x7f) || (c >= '\t' && c <= '\r');
        }
        if (Character.isSurrogate(c)) {
            return true;
        }
        int type = Character.getType(c);
        return type != Character.CONTROL && type != Character.UNASSIGNED && type != Character.FORMAT
                && type != Character.PRIVATE_USE;
    }

    private static StringBuilder padRight(StringBuilder sb, String s, int width) {
        sb.append(s);
        for (int k = s.length(); k < width; k++) {
            sb.append(' ');
        }
        return sb;
    }

    /**
     * Parses a {@code -l} list into a bit mask (bit {@code n} = level {@code n}).
     *
     * @param list comma-separated level names or numbers
     * @return the mask
     * @throws IllegalArgumentException {@code unknown level 'x'} for a bad entry
     */
    public static int parseLevels(String list) {
        int mask = 0;
        for (String item : list.split(",", -1)) {
            mask |= 1 << parseName(item, LEVEL_NAMES, "level");
        }
        return mask;
    }

    private static int parseName(String item, String[] names, String what) {
        if (!item.isEmpty() && Character.isDigit(item.charAt(0))) {
            try {
                int n = Integer.parseInt(item);
                if (n >= 0 && n < names.length) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the error
            }
        } else {
            for (int n = 0; n < names.length; n++) {
                if (names[n].equalsIgnoreCase(item)) {
                    return n;
                }
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + item + "'");
    }

    /**
     * The name dmesg uses for a level.
     *
     * @param level 0..7
     * @return {@code emerg} … {@code debug}
     */
    public static String levelName(int level) {
        return LEVEL_NAMES[level];
    }
}
