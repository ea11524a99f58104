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

/** {@code mkdir [-p] DIR…}: creates directories with mkdir(2). */
@Command(name = "mkdir", description = "Make directories.")
public final class MkdirCommand implements Callable<Integer> {
    @Option(names = {"-p", "--parents"}, description = "no error if existing, make parent directories as needed")
    boolean parents;

    @Option(names = "--help", usageHelp = true, description = "display this help and exit")
    boolean help;

    @Parameters(arity = "0..*", paramLabel = "DIRECTORY")
    List<String> dirs = new ArrayList<>();

    /** For picocli. */
    public MkdirCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        if (dirs.isEmpty()) {
            inv.err().println("mkdir: missing operand");
            return 2;
        }
        List<String> argv = new ArrayList<>(List.of("mkdir"));
        argv.addAll(dirs);
        return Programs.run("/bin/mkdir", argv, p -> {
            int status = 0;
            for (String d : dirs) {
                long r = parents ? mkdirs(p, d) : p.mkdir(d, 0777);
                if (r < 0) {
                    inv.err().println("mkdir: cannot create directory '" + d + "': " + Errno.strerror((int) r));
                    status = 1;
                }
            }
            return status;
        });
    }

    private static long mkdirs(Process p, String d) {
        StringBuilder prefix = new StringBuilder(d.startsWith("/") ? "/" : "");
        long r = 0;
        for (String part : d.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            prefix.append(part);
            r = p.mkdir(prefix.toString(), 0777);
            if (r == -Errno.EEXIST && SimFiles.isDirectory(p, prefix.toString())) {
                r = 0;
            }
            if (r < 0) {
                return r;
            }
            prefix.append('/');
        }
        return r;
    }
}
