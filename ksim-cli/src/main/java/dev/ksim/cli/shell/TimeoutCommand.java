package dev.ksim.cli.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code timeout DURATION COMMAND [ARG…]}, as coreutils has it: runs the command and stops it when the time is
 * up (a blocking {@code cat trace_pipe} ends as if signalled), exiting with 124 then; 125 for a bad duration,
 * 127 for an unknown command.
 */
@Command(name = "timeout", description = "Start COMMAND, and kill it if still running after DURATION.")
public final class TimeoutCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DURATION", description = "a number with an optional suffix s, m, h or d")
    String duration;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    /** For picocli. */
    public TimeoutCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        long millis = parse(duration);
        if (millis < 0) {
            inv.err().println("timeout: invalid time interval '" + duration + "'");
            inv.err().println("Try 'timeout --help' for more information.");
            return 125;
        }
        CommandLine cl = Commands.commandLine();
        if (!cl.getSubcommands().containsKey(command.get(0))) {
            inv.err().println("timeout: failed to run command '" + command.get(0) + "': No such file or directory");
            return 127;
        }
        cl.setOut(inv.out());
        cl.setErr(inv.err());
        Thread me = Thread.currentThread();
        AtomicBoolean fired = new AtomicBoolean();
        Thread timer = new Thread(() -> {
            try {
                Thread.sleep(millis);
                fired.set(true);
                me.interrupt();
            } catch (InterruptedException e) {
                // cancelled: the command finished in time
            }
        }, "ksim-timeout");
        timer.setDaemon(true);
        timer.start();
        int status;
        try {
            status = inv.run(() -> cl.execute(command.toArray(String[]::new)));
        } finally {
            timer.interrupt();
            // The command may leave the interrupt it ended on pending; wait for the timer without it.
            boolean interrupted = Thread.interrupted();
            joinQuietly(timer);
            if (interrupted && !fired.get()) {
                Thread.currentThread().interrupt(); // someone else's (Ctrl-C): keep it for the caller
            }
        }
        return fired.get() ? 124 : status;
    }

    private static void joinQuietly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the duration in milliseconds, or -1 if it is not one */
    static long parse(String d) {
        double unit = 1000;
        String n = d;
        if (!d.isEmpty() && "smhd".indexOf(d.charAt(d.length() - 1)) >= 0) {
            unit = switch (d.charAt(d.length() - 1)) {
                case 'm' -> 60_000;
                case 'h' -> 3_600_000;
                case 'd' -> 86_400_000;
                default -> 1000;
            };
            n = d.substring(0, d.length() - 1);
        }
        if (!n.matches("[0-9]+(\\.[0-9]*)?|\\.[0-9]+")) {
            return -1;
        }
        return (long) (Double.parseDouble(n) * unit);
    }
}
