package dev.ksim.cli.work;

import dev.ksim.cli.shell.Invocation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sleep NUMBER[smhd]…}: a process that sleeps in nanosleep(2). */
@Command(name = "sleep", description = "Delay for a specified amount of time.")
public final class SleepCommand implements Callable<Integer> {
    @Option(names = "--help", usageHelp = true, description = "display this help and exit")
    boolean help;

    @Parameters(arity = "0..*", paramLabel = "NUMBER")
    List<String> times = new ArrayList<>();

    /** For picocli. */
    public SleepCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        if (times.isEmpty()) {
            inv.err().println("sleep: missing operand");
            return 2;
        }
        long nanos = 0;
        for (String t : times) {
            long n = parse(t);
            if (n < 0) {
                inv.err().println("sleep: invalid time interval '" + t + "'");
                return 1;
            }
            nanos += n;
        }
        long total = nanos;
        List<String> argv = new ArrayList<>(List.of("sleep"));
        argv.addAll(times);
        return Programs.run("/bin/sleep", argv, p -> {
            p.nanosleep(total);
            return 0;
        });
    }

    /** @return nanoseconds, or -1 if not a valid interval */
    static long parse(String t) {
        if (t.isEmpty()) {
            return -1;
        }
        long unit = 1_000_000_000L;
        String num = t;
        switch (t.charAt(t.length() - 1)) {
            case 's' -> num = t.substring(0, t.length() - 1);
            case 'm' -> {
                unit *= 60;
                num = t.substring(0, t.length() - 1);
            }
            case 'h' -> {
                unit *= 3600;
                num = t.substring(0, t.length() - 1);
            }
            case 'd' -> {
                unit *= 86400;
                num = t.substring(0, t.length() - 1);
            }
            default -> {
            }
        }
        try {
            BigDecimal v = new BigDecimal(num);
            if (v.signum() < 0) {
                return -1;
            }
            return v.multiply(BigDecimal.valueOf(unit)).longValue();
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
