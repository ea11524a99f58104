package dev.ksim.cli.work;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.sdk.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mv SOURCE… DEST}: renames with renameat2(2). */
@Command(name = "mv", description = "Move (rename) files.")
public final class MvCommand implements Callable<Integer> {
    @Option(names = "--help", usageHelp = true, description = "display this help and exit")
    boolean help;

    @Parameters(arity = "0..*", paramLabel = "FILE")
    List<String> args = new ArrayList<>();

    /** For picocli. */
    public MvCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        if (args.isEmpty()) {
            inv.err().println("mv: missing file operand");
            return 2;
        }
        if (args.size() == 1) {
            inv.err().println("mv: missing destination file operand after '" + args.get(0) + "'");
            return 2;
        }
        List<String> argv = new ArrayList<>(List.of("mv"));
        argv.addAll(args);
        String dest = args.get(args.size() - 1);
        List<String> sources = args.subList(0, args.size() - 1);
        return Programs.run("/bin/mv", argv, p -> {
            boolean dir = SimFiles.isDirectory(p, dest);
            if (sources.size() > 1 && !dir) {
                inv.err().println("mv: target '" + dest + "' is not a directory");
                return 1;
            }
            int status = 0;
            for (String s : sources) {
                String to = dir ? dest + "/" + SimFiles.basename(s) : dest;
                long r = p.rename(s, to);
                if (r == -Errno.ENOENT) {
                    inv.err().println("mv: cannot stat '" + s + "': No such file or directory");
                    status = 1;
                } else if (r < 0) {
                    inv.err().println("mv: cannot move '" + s + "' to '" + to + "': " + Errno.strerror((int) r));
                    status = 1;
                }
            }
            return status;
        });
    }
}
