package dev.ksim.cli.work;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ls [PATH…]}: lists directories (one name per line, as when output is not a terminal). */
@Command(name = "ls", description = "List directory contents.")
public final class LsCommand implements Callable<Integer> {
    @Option(names = "-1", description = "list one file per line (the default)")
    boolean one;

    @Option(names = "--help", usageHelp = true, description = "display this help and exit")
    boolean help;

    @Parameters(arity = "0..*", paramLabel = "FILE")
    List<String> paths = new ArrayList<>();

    /** For picocli. */
    public LsCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        List<String> targets = paths.isEmpty() ? List.of(".") : paths;
        List<String> argv = new ArrayList<>(List.of("ls"));
        argv.addAll(paths);
        return Programs.run("/bin/ls", argv, p -> list(inv, p, targets));
    }

    private static int list(Invocation inv, Process p, List<String> targets) {
        int status = 0;
        List<String> files = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        for (String t : targets) {
            long fd = p.open(t, Process.O_RDONLY, 0);
            if (fd < 0) {
                inv.err().println("ls: cannot access '" + t + "': " + Errno.strerror((int) fd));
                status = 2;
                continue;
            }
            p.close((int) fd);
            (SimFiles.isDirectory(p, t) ? dirs : files).add(t);
        }
        for (String f : files) {
            inv.out().println(f);
        }
        boolean headers = targets.size() > 1;
        for (int i = 0; i < dirs.size(); i++) {
            if (headers) {
                if (i > 0 || !files.isEmpty()) {
                    inv.out().println();
                }
                inv.out().println(dirs.get(i) + ":");
            }
            long[] errno = new long[1];
            List<String> names = SimFiles.list(p, dirs.get(i), errno);
            if (names == null) {
                inv.err().println("ls: cannot open directory '" + dirs.get(i) + "': " + Errno.strerror((int) errno[0]));
                status = 2;
                continue;
            }
            for (String n : names) {
                inv.out().println(n);
            }
        }
        return status;
    }
}
