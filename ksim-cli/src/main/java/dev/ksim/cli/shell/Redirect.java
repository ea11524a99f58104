package dev.ksim.cli.shell;

import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Errno;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Output redirection as the shell does it: the shell process opens the file ({@code O_TRUNC} for
 * {@code >}, {@code O_APPEND} for {@code >>}) and the output is written to it with {@code write(2)}.
 * Errors are reported in bash's words.
 */
final class Redirect {
    private Redirect() {
    }

    /**
     * Writes a command's output to a file.
     *
     * @param inv the invocation (its shell process opens the file; its prefix starts error messages)
     * @param op {@code >} or {@code >>}
     * @param path the file
     * @param text the output
     * @param who the builtin writing it ({@code "echo"}) or null for another command
     * @return 0, or 1 after reporting an error
     */
    static int write(Invocation inv, String op, String path, String text, String who) {
        Process sh = inv.shell();
        int flags = Process.O_WRONLY | Process.O_CREAT | (op.equals(">>") ? Process.O_APPEND : Process.O_TRUNC);
        long fd = sh.open(path, flags, 0666);
        PrintWriter err = inv.err();
        if (fd < 0) {
            err.println(inv.prefix() + path + ": " + Errno.strerror((int) fd));
            return 1;
        }
        try {
            byte[] data = text.getBytes(StandardCharsets.UTF_8);
            if (data.length == 0) {
                return 0;
            }
            long r = sh.write((int) fd, data);
            if (r < 0) {
                err.println(inv.prefix() + (who == null ? "" : who + ": ") + "write error: " + Errno.strerror((int) r));
                return 1;
            }
            return 0;
        } finally {
            sh.close((int) fd);
        }
    }
}
