package dev.ksim.cli.work;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Errno;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cat FILE…}: reads files (regular, or proc/sys/debugfs views) through open/read/close. */
@Command(name = "cat", description = "Concatenate files and print on the standard output.")
public final class CatCommand implements Callable<Integer> {
    @Option(names = "--help", usageHelp = true, description = "display this help and exit")
    boolean help;

    @Parameters(arity = "0..*", paramLabel = "FILE")
    List<String> files = new ArrayList<>();

    /** For picocli. */
    public CatCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        List<String> argv = new ArrayList<>(List.of("cat"));
        argv.addAll(files);
        return Programs.run("/bin/cat", argv, p -> {
            int status = 0;
            for (String f : files) {
                if (!cat(inv, p, f)) {
                    status = 1;
                }
                if (Thread.currentThread().isInterrupted()) {
                    return 130;
                }
            }
            return status;
        });
    }

    private static boolean cat(Invocation inv, Process p, String f) {
        long fd = p.open(f, Process.O_RDONLY, 0);
        if (fd < 0) {
            inv.err().println("cat: " + f + ": " + Errno.strerror((int) fd));
            return false;
        }
        try {
            while (true) {
                byte[] b = p.read((int) fd, 1 << 16);
                if (b == null && p.lastError() == -Errno.EINTR) {
                    return false; // Ctrl-C while waiting on trace_pipe: cat dies of SIGINT, silently
                }
                if (b == null) {
                    inv.err().println("cat: " + f + ": " + Errno.strerror((int) p.lastError()));
                    return false;
                }
                if (b.length == 0) {
                    return true;
                }
                inv.out().print(new String(b, StandardCharsets.UTF_8));
                inv.out().flush();
            }
        } finally {
            p.close((int) fd);
        }
    }
}
