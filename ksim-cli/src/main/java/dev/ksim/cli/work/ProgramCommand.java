package dev.ksim.cli.work;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.fs.Vfs;
import java.util.List;

/**
 * Runs a program named by its path ({@code /root/test}, {@code ./test}): the shell forks, the child execs the
 * file, and its {@code main} runs in the simulated user space (its uprobes fire). Errors are bash's.
 */
public final class ProgramCommand {
    private ProgramCommand() {
    }

    /**
     * @param inv the invocation
     * @param argv the words, the program first
     * @return its exit status (126 not executable, 127 not found)
     */
    public static int run(Invocation inv, List<String> argv) {
        SimKernel k = inv.session().kernel();
        String path = Vfs.resolve("/", argv.get(0));
        Vfs.Inode node = k.vfs().lookup(path);
        if (node == null) {
            inv.err().println(inv.prefix() + argv.get(0) + ": No such file or directory");
            return 127;
        }
        if (node.isDir()) {
            inv.err().println(inv.prefix() + argv.get(0) + ": Is a directory");
            return 126;
        }
        return Programs.run(path, argv, p -> k.userRuntime().runMain(p, path, s -> {
            inv.out().print(s);
            inv.out().flush();
        }, null));
    }
}
