package dev.ksim.cli.kmod;

import dev.ksim.sdk.Errno;
import java.io.PrintWriter;

/** kmod's messages: {@code <tool>: ERROR: …} on standard error, and {@code mod_strerror()}. */
final class Kmod {
    private Kmod() {
    }

    /**
     * insmod's {@code mod_strerror}: the kernel's answer in module terms.
     *
     * @param err a positive or negative errno
     * @return the message
     */
    static String modStrerror(int err) {
        return switch (Math.abs(err)) {
            case Errno.ENOEXEC -> "Invalid module format";
            case Errno.ENOENT -> "Unknown symbol in module";
            case Errno.ESRCH -> "Module has wrong symbol version";
            case Errno.EINVAL -> "Invalid parameters";
            default -> Errno.strerror(err);
        };
    }

    /**
     * Prints {@code <tool>: ERROR: <text>}.
     *
     * @param err where
     * @param tool the tool
     * @param text the message
     */
    static void error(PrintWriter err, String tool, String text) {
        err.println(tool + ": ERROR: " + text);
    }

    /**
     * Prints {@code <tool>: FATAL: <text>} (modprobe's {@code LOG}).
     *
     * @param err where
     * @param tool the tool
     * @param text the message
     */
    static void fatal(PrintWriter err, String tool, String text) {
        err.println(tool + ": FATAL: " + text);
    }
}
