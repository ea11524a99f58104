package dev.ksim.kernel.trace;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@code tracing/error_log}: the last {@value #MAX} command errors, each shown as {@code tracing_err_log_seq_show}
 * prints it — {@code [sec.usec] LOC: error: TEXT}, the command after {@code "  Command: "}, and a caret under the
 * offending character. Opening it with {@code O_TRUNC} clears it. Thread-safe (guarded by this).
 */
public final class ErrorLog {
    /** {@code TRACING_LOG_ERRS_MAX}. */
    static final int MAX = 8;
    /** {@code CMD_PREFIX}. */
    private static final String CMD_PREFIX = "  Command: ";

    private record Entry(long nanos, String loc, String text, String command, int pos) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private final LongSupplier clock;

    /** @param clock the local clock in nanoseconds since boot */
    public ErrorLog(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Logs an error as {@code __trace_probe_log_err} does: the command is the words joined by spaces and the
     * caret goes under word {@code index} plus {@code offset} (after the last word when the index is past it).
     *
     * @param loc the subsystem ({@code trace_kprobe}, {@code trace_uprobe})
     * @param argv the command's words
     * @param e the error
     */
    synchronized void log(String loc, List<String> argv, ProbeError e) {
        if (e.text == null) {
            return;
        }
        int len = 0;
        int pos = 0;
        for (int i = 0; i < argv.size(); i++) {
            if (i == e.index) {
                pos = len;
            }
            len += argv.get(i).length() + 1;
        }
        int offset = e.offset;
        if (e.index >= argv.size()) {
            pos = len;
            offset = 0;
        }
        if (entries.size() == MAX) {
            entries.removeFirst();
        }
        // The position is a u8 in the kernel (struct err_info): long commands wrap the caret.
        entries.addLast(new Entry(clock.getAsLong(), loc, e.text, String.join(" ", argv), (pos + offset) & 0xff));
    }

    /** Empties the log ({@code echo > error_log}). */
    public synchronized void clear() {
        entries.clear();
    }

    /** @return the file's contents */
    public synchronized String show() {
        StringBuilder b = new StringBuilder();
        for (Entry e : entries) {
            long sec = e.nanos / 1_000_000_000L;
            long usec = e.nanos % 1_000_000_000L / 1000;
            b.append(String.format("[%5d.%06d] %s: error: %s", sec, usec, e.loc, e.text));
            b.append('\n').append(CMD_PREFIX).append(e.command).append('\n');
            b.append(" ".repeat(CMD_PREFIX.length() + e.pos)).append("^\n");
        }
        return b.toString();
    }
}
