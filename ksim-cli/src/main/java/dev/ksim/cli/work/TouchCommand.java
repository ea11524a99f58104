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

/** {@code touch FILE…}: creates files with {@code open(O_WRONLY|O_CREAT)}. */
@Command(name = "touch", description = "Create files (or update their times).")
public final class TouchCommand implements Callable<Integer> {
    @Option(names = "--help", usageHelp = true, description = "display this help and exit")
    boolean help;

    @Parameters(arity = "0..*", paramLabel = "FILE")
    List<String> files = new ArrayList<>();

    /** For picocli. */
    public TouchCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        if (files.isEmpty()) {
            inv.err().println("touch: missing file operand");
            return 2;
        }
        List<String> argv = new ArrayList<>(List.of("touch"));
        argv.addAll(files);
        return Programs.run("/bin/touch", argv, p -> {
            int status = 0;
            for (String f : files) {
                long fd = p.open(f, Process.O_WRONLY | Process.O_CREAT, 0666);
                if (fd < 0) {
                    inv.err().println("touch: cannot touch '" + f + "': " + Errno.strerror((int) fd));
                    status = 1;
                } else {
                    p.close((int) fd);
                }
            }
            return status;
        });
    }
}
