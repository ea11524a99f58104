package dev.ksim.cli.kmod;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.cli.work.Programs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lsmod}: kmod's lsmod, reading {@code /proc/modules} and each module's holders. */
@Command(name = "lsmod", description = "Show the status of modules in the kernel.")
public final class LsmodCommand implements Callable<Integer> {
    @Option(names = {"-s", "--syslog", "-v", "--verbose"}, hidden = true, description = "ignored")
    boolean ignored;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Parameters(arity = "0..*", hidden = true)
    List<String> extra = new ArrayList<>();

    /** For picocli. */
    public LsmodCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        if (!extra.isEmpty()) {
            Kmod.error(inv.err(), "lsmod", "too many arguments provided.");
            return 2;
        }
        return Programs.run("/sbin/lsmod", List.of("lsmod"), p -> {
            String modules = p.cat("/proc/modules");
            if (modules == null) {
                Kmod.error(inv.err(), "lsmod", "could not get list of modules: No such file or directory");
                return 1;
            }
            StringBuilder b = new StringBuilder("Module                  Size  Used by\n");
            for (String line : modules.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split(" ");
                b.append(String.format("%-19s %8d  %s", f[0], Long.parseLong(f[1]), f[2]));
                char sep = ' ';
                for (String h : ModuleStatus.holders(p, f[0])) {
                    b.append(sep).append(h);
                    sep = ',';
                }
                b.append('\n');
            }
            inv.out().print(b);
            return 0;
        });
    }
}
