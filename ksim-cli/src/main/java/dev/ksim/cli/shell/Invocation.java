package dev.ksim.cli.shell;

import dev.ksim.kernel.proc.Process;
import java.io.PrintWriter;

/**
 * The context one command runs in: its session, the simulated shell process that forks it, where its
 * output goes, and how shell-level errors are prefixed ({@code script.ksim: line 3: }). Commands find it
 * with {@link #current()}; the interpreter sets it around each command.
 *
 * @param session the session
 * @param shell the simulated shell process
 * @param out standard output
 * @param err standard error
 * @param prefix what the shell prefixes its own messages with
 * @param commandLine the command as typed (for job-status messages)
 */
public record Invocation(Session session, Process shell, PrintWriter out, PrintWriter err, String prefix,
        String commandLine) {
    private static final ThreadLocal<Invocation> CURRENT = new ThreadLocal<>();

    /** @return the invocation of the command running on this thread */
    public static Invocation current() {
        Invocation i = CURRENT.get();
        if (i == null) {
            throw new IllegalStateException("no command is running on this thread");
        }
        return i;
    }

    /**
     * Runs code with this invocation current.
     *
     * @param body the code
     * @return its result
     */
    public int run(java.util.function.IntSupplier body) {
        Invocation outer = CURRENT.get();
        CURRENT.set(this);
        try {
            return body.getAsInt();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /**
     * @param sh another shell process
     * @return this invocation with commands forked from it
     */
    public Invocation withShell(Process sh) {
        return new Invocation(session, sh, out, err, prefix, commandLine);
    }

    /**
     * @param o standard output
     * @return this invocation writing there
     */
    public Invocation withOut(PrintWriter o) {
        return new Invocation(session, shell, o, err, prefix, commandLine);
    }
}
