package dev.ksim.cli.work;

import dev.ksim.cli.shell.Invocation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stress --procs N --ops N | --seconds S}: N processes mixing fork, exec, open, read, write and
 * unlink (see {@link Stress}), reporting as the {@code stress} tool does.
 */
@Command(name = "stress", description = "Impose load: processes mixing fork/exec/open/read/write/unlink.")
public final class StressCommand implements Callable<Integer> {
    @Option(names = {"-p", "--procs"}, paramLabel = "N", description = "worker processes (default 4)")
    int procs = 4;

    @Option(names = {"-n", "--ops"}, paramLabel = "N", description = "operations per worker (default 100; 0: no limit)")
    long ops = -1;

    @Option(names = {"-t", "--seconds"}, paramLabel = "S", description = "run for S seconds")
    double seconds;

    @Option(names = {"-q", "--quiet"}, description = "no informational messages")
    boolean quiet;

    @Option(names = "--help", usageHelp = true, description = "display this help and exit")
    boolean help;

    /** For picocli. */
    public StressCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        if (procs < 1 || procs > 256 || ops < -1 || seconds < 0) {
            inv.err().println("stress: FAIL: [" + inv.shell().pid() + "] invalid workload: --procs must be 1..256, "
                    + "--ops and --seconds non-negative");
            return 2;
        }
        long opsEach = ops >= 0 ? ops : seconds > 0 ? 0 : 100;
        List<String> argv = new ArrayList<>(List.of("stress", "--procs", String.valueOf(procs)));
        return Programs.run("/usr/bin/stress", argv, p -> {
            long start = System.nanoTime();
            if (!quiet) {
                inv.out().println("stress: info: [" + p.pid() + "] dispatching hogs: " + procs + " procs, "
                        + (opsEach == 0 ? "until " + seconds + "s" : opsEach + " ops each"));
                inv.out().flush();
            }
            Stress s = new Stress(inv.session().kernel(), procs, opsEach, seconds);
            try {
                s.run(p, () -> Thread.currentThread().isInterrupted());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 130;
            }
            for (int pid : s.killed()) {
                inv.err().println("stress: FAIL: [" + p.pid() + "] <-- worker " + pid + " got signal 11");
            }
            if (!s.killed().isEmpty()) {
                return 1;
            }
            if (!quiet) {
                inv.out().printf("stress: info: [%d] successful run completed in %.2fs (%d ops)%n", p.pid(),
                        (System.nanoTime() - start) / 1e9, s.ops());
            }
            return 0;
        });
    }
}
