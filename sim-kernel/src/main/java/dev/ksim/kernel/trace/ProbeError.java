package dev.ksim.kernel.trace;

/**
 * A dynamic-event command the kernel rejects: the {@code ERRORS} entry of {@code kernel/trace/trace_probe.h}
 * and where the caret goes ({@code trace_probe_log_set_index} and {@code trace_probe_log_err}), with the errno
 * the write returns.
 */
public final class ProbeError extends Exception {
    private static final long serialVersionUID = 1L;
    /** {@code ECANCELED}: "not this kind of probe", turned into a plain {@code -EINVAL} for the writer. */
    static final int ECANCELED = 125;

    /** The error's text, as {@code trace_probe_err_text[]} has it (no error-log entry when null). */
    public final transient String text;
    /** The index of the command word the error is in ({@code trace_probe_log.index}). */
    public final int index;
    /** The offset inside that word. */
    public final int offset;
    /** The negative errno of the write. */
    public final int errno;

    ProbeError(String text, int index, int offset, int errno) {
        super(text == null ? "errno " + errno : text);
        this.text = text;
        this.index = index;
        this.offset = offset;
        this.errno = errno;
    }

    /** An error the kernel returns without an error-log entry (e.g. {@code -ECANCELED} turned {@code -EINVAL}). */
    static ProbeError silent(int errno) {
        return new ProbeError(null, 0, 0, errno);
    }
}
