package dev.ksim.cli.work;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Errno;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Runs a command as the shell runs a program: the shell process forks (kernel_clone), the child execs
 * the program (execve), does its work through system calls, exits, and the shell reaps it (wait4). A
 * child killed by an oops is reported as bash reports a job killed by a signal.
 */
public final class Programs {
    /** The environment every program gets. */
    public static final List<String> ENV = List.of("PATH=/usr/bin:/bin:/usr/sbin:/sbin", "HOME=/root");

    private Programs() {
    }

    /**
     * Runs a program.
     *
     * @param path the program ({@code /bin/cat})
     * @param argv its arguments, argv[0] first
     * @param body what the program does, as the child process; returns its exit status
     * @return the exit status ({@code 128 + signal} if it was killed)
     */
    public static int run(String path, List<String> argv, ToIntFunction<Process> body) {
        Invocation inv = Invocation.current();
        return run(inv, inv.shell(), path, argv, body);
    }

    /**
     * Runs a program forked from a given process.
     *
     * @param inv the invocation (for messages)
     * @param parent the process that forks
     * @param path the program
     * @param argv its arguments
     * @param body what it does
     * @return its exit status
     */
    public static int run(Invocation inv, Process parent, String path, List<String> argv, ToIntFunction<Process> body) {
        SimKernel k = inv.session().kernel();
        long pid = parent.fork();
        if (pid < 0) {
            inv.err().println(inv.prefix() + "fork: " + Errno.strerror((int) pid));
            return 1;
        }
        Process child = k.syscalls().byPid((int) pid);
        int status;
        try {
            long r = child.execve(path, argv, ENV);
            if (r < 0) {
                inv.err().println(inv.prefix() + path + ": " + Errno.strerror((int) r));
                status = r == -Errno.ENOENT ? 127 : 126;
            } else {
                // The program's main runs around the command's work, so uprobes on it fire in this process.
                status = k.userRuntime().runMain(child, path, inv.out()::print, () -> body.applyAsInt(child));
            }
            if (!child.hasExited()) {
                child.exit(status);
            }
        } catch (TaskKilled e) {
            int sig = child.task.exitCode() == 0 ? 9 : child.task.exitCode();
            status = 128 + sig;
            inv.err().println(inv.prefix() + String.format("%5d", child.pid()) + " " + signalName(sig) + "      "
                    + inv.commandLine());
            if (!child.hasExited()) {
                try {
                    child.exit(status);
                } catch (RuntimeException ignored) {
                    // The task is already dead; wait4 below reaps it either way.
                }
            }
        }
        parent.wait4((int) pid);
        return status;
    }

    private static String signalName(int sig) {
        return switch (sig) {
            case 11 -> "Segmentation fault";
            case 9 -> "Killed";
            case 6 -> "Aborted";
            case 7 -> "Bus error";
            default -> "Terminated by signal " + sig;
        };
    }
}
