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

/** {@code rm [-f] [-r] FILE…}: removes files with unlink (and directories with rmdir under -r). */
@Command(name = "rm", description = "Remove files or directories.")
public final class RmCommand implements Callable<Integer> {
    @Option(names = {"-f", "--force"}, description = "ignore nonexistent files")
    boolean force;

    @Option(names = {"-r", "-R", "--recursive"}, description = "remove directories and their contents recursively")
    boolean recursive;

    @Option(names = "--help", usageHelp = true, description = "display this help and exit")
    boolean help;

    @Parameters(arity = "0..*", paramLabel = "FILE")
    List<String> files = new ArrayList<>();

    /** For picocli. */
    public RmCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        if (files.isEmpty()) {
            if (force) {
                return 0;
            }
            inv.err().println("rm: missing operand");
            return 2;
        }
        List<String> argv = new ArrayList<>(List.of("rm"));
        argv.addAll(files);
        return Programs.run("/bin/rm", argv, p -> {
            int status = 0;
            for (String f : files) {
                if (!remove(inv, p, f)) {
                    status = 1;
                }
            }
            return status;
        });
    }

    private boolean remove(Invocation inv, Process p, String f) {
        long r = p.unlink(f);
        if (r == -Errno.EISDIR && recursive) {
            long[] errno = new long[1];
            List<String> names = SimFiles.list(p, f, errno);
            if (names != null) {
                for (String n : names) {
                    if (!remove(inv, p, f + "/" + n)) {
                        return false;
                    }
                }
            }
            r = p.rmdir(f);
        }
        if (r == 0 || (r == -Errno.ENOENT && force)) {
            return true;
        }
        inv.err().println("rm: cannot remove '" + f + "': " + Errno.strerror((int) r));
        return false;
    }
}
