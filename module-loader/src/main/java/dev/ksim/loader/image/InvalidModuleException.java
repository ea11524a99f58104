package dev.ksim.loader.image;

import dev.ksim.sdk.Errno;
import java.util.List;

/**
 * A module file the kernel refuses before running anything: not a module, or a module whose metadata is
 * malformed. Carries the errno the load returns ({@code -ENOEXEC}: "Invalid module format") and the
 * lines the kernel logs about it.
 */
public final class InvalidModuleException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The negative errno. */
    public final int errno;
    /** The kernel log lines, each with its {@code KERN_*} prefix and without a newline. */
    public final List<String> kernelLog;

    /**
     * @param kernelLog what the kernel logs, {@code KERN_*} prefix included
     */
    public InvalidModuleException(String... kernelLog) {
        this(-Errno.ENOEXEC, kernelLog);
    }

    /**
     * @param errno the negative errno
     * @param kernelLog what the kernel logs, {@code KERN_*} prefix included
     */
    public InvalidModuleException(int errno, String... kernelLog) {
        super(kernelLog.length == 0 ? Errno.strerror(errno) : kernelLog[0].substring(kernelLog[0].startsWith("\001") ? 2 : 0),
                null, false, false);
        this.errno = errno;
        this.kernelLog = List.of(kernelLog);
    }
}
