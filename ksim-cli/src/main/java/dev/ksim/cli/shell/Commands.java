package dev.ksim.cli.shell;

import dev.ksim.cli.kmod.InsmodCommand;
import dev.ksim.cli.kmod.LsmodCommand;
import dev.ksim.cli.kmod.ModinfoCommand;
import dev.ksim.cli.kmod.ModprobeCommand;
import dev.ksim.cli.kmod.RmmodCommand;
import dev.ksim.cli.work.CatCommand;
import dev.ksim.cli.work.DmesgCommand;
import dev.ksim.cli.work.LsCommand;
import dev.ksim.cli.work.MkdirCommand;
import dev.ksim.cli.work.MvCommand;
import dev.ksim.cli.work.ReadelfCommand;
import dev.ksim.cli.work.RmCommand;
import dev.ksim.cli.work.ShCommand;
import dev.ksim.cli.work.SleepCommand;
import dev.ksim.cli.work.StressCommand;
import dev.ksim.cli.work.TouchCommand;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The commands a session runs ({@code insmod}, {@code dmesg}, {@code cat}, …), each a picocli command
 * that finds its context with {@link Invocation#current()}. Usage errors are reported as getopt reports
 * them ({@code insmod: invalid option -- 'x'}) with exit status 2.
 */
@Command(name = "ksim", subcommands = {InsmodCommand.class, RmmodCommand.class, LsmodCommand.class,
        ModinfoCommand.class, ModprobeCommand.class, DmesgCommand.class, CatCommand.class, TouchCommand.class,
        RmCommand.class, LsCommand.class, MkdirCommand.class, MvCommand.class, ShCommand.class, SleepCommand.class,
        StressCommand.class, ReadelfCommand.class, TimeoutCommand.class,
        dev.ksim.cli.bpf.BpfCommand.class})
public final class Commands {
    /** The shell's builtins, handled by the interpreter itself. */
    public static final Set<String> BUILTINS = Set.of("echo", "set", "true", "false", ":", "exit", "wait", "help");

    /** Every command name a session understands ({@code CommandsTest} checks it against the commands). */
    public static final List<String> NAMES = dev.ksim.cli.CommandNames.ALL;

    /** @return a new command line for the commands, configured as ksim reports errors */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Commands());
        cl.setExpandAtFiles(false);
        cl.getSubcommands().get("timeout").setStopAtPositional(true);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println(getopt(c.getCommandName(), ex));
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parse) -> {
            if (ex instanceof RuntimeException r && r.getClass().getSimpleName().equals("TaskKilled")) {
                throw r;
            }
            if (ex instanceof dev.ksim.kernel.cpu.KernelPanic) {
                // The console's last words; the kernel stays stopped, its log still readable with dmesg.
                c.getErr().println(ex.getMessage());
                c.getErr().println(c.getCommandName() + ": the kernel has panicked and is stopped"
                        + " (dmesg shows the report)");
                c.getErr().flush();
                return 1;
            }
            c.getErr().println(c.getCommandName() + ": internal error: " + ex);
            c.getErr().flush();
            return 1;
        });
        return cl;
    }

    /** A picocli parse error in getopt's words. */
    private static String getopt(String cmd, CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String a = u.getUnmatched().get(0);
            if (a.startsWith("--")) {
                return cmd + ": unrecognized option '" + a + "'";
            }
            if (a.startsWith("-") && a.length() > 1) {
                return cmd + ": invalid option -- '" + a.charAt(1) + "'";
            }
            return cmd + ": extra operand '" + a + "'";
        }
        if (ex instanceof CommandLine.MissingParameterException m && m.getMissing() != null && !m.getMissing().isEmpty()
                && m.getMissing().get(0).isOption()) {
            String name = ((CommandLine.Model.OptionSpec) m.getMissing().get(0)).shortestName();
            return cmd + ": option requires an argument -- '" + name.replaceFirst("^-+", "") + "'";
        }
        return cmd + ": " + ex.getMessage();
    }
}
