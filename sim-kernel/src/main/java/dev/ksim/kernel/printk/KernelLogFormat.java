package dev.ksim.kernel.printk;

import java.nio.charset.StandardCharsets;

/**
 * How the kernel itself renders records: the {@code /dev/kmsg} line ({@code info_print_ext_header()}
 * + {@code msg_print_ext_body()}) and the text of consoles, {@code /proc/kmsg} and
 * {@code syslog(2)} ({@code record_print_text()}). Stateless; safe from any thread.
 */
public final class KernelLogFormat {

    private KernelLogFormat() {
    }

    /**
     * {@code print_time()}: {@code [%5lu.%06lu]}, seconds and microseconds since boot.
     *
     * @param nanos the timestamp
     * @return e.g. {@code [    0.123456]}
     */
    public static String time(long nanos) {
        StringBuilder sb = new StringBuilder(16);
        appendTime(sb, nanos);
        return sb.toString();
    }

    /**
     * Appends {@link #time(long)}.
     *
     * @param sb where to append
     * @param nanos the timestamp
     */
    public static void appendTime(StringBuilder sb, long nanos) {
        long sec = Long.divideUnsigned(nanos, 1_000_000_000L);
        long usec = Long.remainderUnsigned(nanos, 1_000_000_000L) / 1000;
        String s = Long.toUnsignedString(sec);
        sb.append('[');
        for (int k = s.length(); k < 5; k++) {
            sb.append(' ');
        }
        sb.append(s).append('.');
        String u = Long.toString(usec);
        for (int k = u.length(); k < 6; k++) {
            sb.append('0');
        }
        sb.append(u).append(']');
    }

    /**
     * {@code record_print_text()}: the record as a console, {@code /proc/kmsg} or {@code syslog(2)}
     * shows it. Every line of a multi-line record gets the same prefix; a newline ends each line,
     * including the last. The prefix is {@code <prio>} if {@code syslog}, then {@code [time]} if
     * {@code time}, then {@code [%6s]} with the caller id if {@code caller} (CONFIG_PRINTK_CALLER),
     * then one space if time or caller was printed.
     *
     * @param r the record
     * @param syslog prefix the priority, {@code <6>} ({@code /proc/kmsg}, {@code syslog(2)})
     * @param time prefix the timestamp ({@code printk.time}, on by default)
     * @param caller prefix the caller id
     * @return the text, e.g. {@code "<6>[    1.000000] hello\n"}
     */
    public static String recordPrintText(LogRecord r, boolean syslog, boolean time, boolean caller) {
        StringBuilder prefix = new StringBuilder(48);
        if (syslog) {
            prefix.append('<').append(r.prio()).append('>');
        }
        if (time) {
            appendTime(prefix, r.timestampNanos());
        }
        if (caller) {
            String id = r.caller();
            prefix.append('[');
            for (int k = id.length(); k < 6; k++) {
                prefix.append(' ');
            }
            prefix.append(id).append(']');
        }
        if (time || caller) {
            prefix.append(' ');
        }
        String text = r.text();
        StringBuilder out = new StringBuilder(text.length() + prefix.length() + 1);
        int start = 0;
        while (true) {
            int nl = text.indexOf('\n', start);
            out.append(prefix);
            if (nl < 0) {
                out.append(text, start, text.length()).append('\n');
                return out.toString();
            }
            out.append(text, start, nl + 1);
            start = nl + 1;
        }
    }

    /**
     * One {@code /dev/kmsg} record: {@code prio,seq,ts_usec,flags[,caller=T1];text\n}, where flags
     * is {@code c} for a {@link LogRecord#LOG_CONT} record and {@code -} otherwise, and the text is
     * UTF-8 with every byte below 0x20 or above 0x7e and every backslash escaped as {@code \xNN}.
     *
     * @param r the record
     * @param caller add the {@code caller=} field (CONFIG_PRINTK_CALLER)
     * @return the record line
     */
    public static String devKmsg(LogRecord r, boolean caller) {
        String text = r.text();
        StringBuilder sb = new StringBuilder(text.length() + 32);
        sb.append(r.prio()).append(',').append(r.seq()).append(',')
                .append(Long.divideUnsigned(r.timestampNanos(), 1000)).append(',')
                .append(r.isContinuation() ? 'c' : '-');
        if (caller) {
            sb.append(",caller=").append(r.caller());
        }
        sb.append(';');
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c >= ' ' && c < 127 && c != '\\') {
                sb.append(c);
            } else if (c < 0x80) {
                appendHexEscape(sb, c);
            } else {
                int end = Character.isHighSurrogate(c) && k + 1 < text.length() ? k + 2 : k + 1;
                for (byte b : text.substring(k, end).getBytes(StandardCharsets.UTF_8)) {
                    appendHexEscape(sb, b & 0xff);
                }
                k = end - 1;
            }
        }
        return sb.append('\n').toString();
    }

    private static void appendHexEscape(StringBuilder sb, int b) {
        sb.append("\\x").append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
    }
}
