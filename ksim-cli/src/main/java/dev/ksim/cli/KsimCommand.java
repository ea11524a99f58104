package dev.ksim.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ksim}: the root command; its subcommands start kernels, and session commands reach a booted one. */
@Command(name = "ksim", mixinStandardHelpOptions = true, versionProvider = KsimCommand.Version.class,
        description = "Write Linux kernel probe modules in Java and run them on a simulated kernel.",
        subcommands = {RunCommand.class, ShellCommand.class, BootCommand.class, HaltCommand.class,
                DaemonCommand.class, CheckCommand.class, picocli.CommandLine.HelpCommand.class},
        footerHeading = "%nCommands of a booted kernel (ksim boot), also usable in scripts and the shell:%n",
        footer = {"  insmod FILE [param=value...]    modprobe NAME [param=value...]",
            "  rmmod [-f] NAME    lsmod    modinfo NAME|FILE",
            "  dmesg [-c|-C] [-l LEVELS] [-w] [-T]",
            "  cat PATH    echo VALUE > PATH    touch    rm    ls    mkdir    mv",
            "  sh -c 'CMDS'    sleep N    stress [--procs N] [--ops N | --seconds S]", "",
            "Without a kernel:", "  ksim check [--profile 4.14|5.10|6.8] [--Werror] PATH...    (static checks of module sources)",
            "",
            "Examples:", "  ksim run examples/quickstart.ksim", "  ksim boot && ksim insmod my_module.jar && ksim dmesg -w",
            "",
            "Exit status: 0 success, 1 the operation failed, 2 usage error."})
public final class KsimCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final KsimEnv env;
    private final InputStream in;
    private final PrintWriter out;
    private final PrintWriter err;

    /**
     * @param env the paths
     * @param in standard input
     * @param out standard output
     * @param err standard error
     */
    public KsimCommand(KsimEnv env, InputStream in, PrintWriter out, PrintWriter err) {
        this.env = env;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    KsimEnv env() {
        return env;
    }

    InputStream in() {
        return in;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(err);
        return 2;
    }

    /** The version line. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ksim 0.1.0 (simulated Linux " + dev.ksim.kernel.BootOptions.RELEASE + ")"};
        }
    }
}
