package dev.ksim.cli;

import dev.ksim.cli.shell.InteractiveShell;
import dev.ksim.cli.shell.KernelHost;
import dev.ksim.cli.shell.Session;
import java.io.IOException;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import java.nio.charset.StandardCharsets;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ksim shell}: boots a kernel and opens an interactive shell on it. */
@Command(mixinStandardHelpOptions = true, name = "shell", description = {"Boot a kernel and open an interactive shell on it (history, tab completion "
        + "of commands, modules, kallsyms symbols and paths)."})
public final class ShellCommand implements Callable<Integer> {
    @ParentCommand
    KsimCommand root;

    @Mixin
    BootOptionsMixin boot;

    @Option(names = "--dumb", hidden = true, description = "use a dumb terminal on standard input/output")
    boolean dumb;

    /** For picocli. */
    public ShellCommand() {
    }

    @Override
    public Integer call() throws IOException {
        var spec = boot.toSpec();
        KsimEnv env = root.env();
        boolean plain = dumb || System.console() == null;
        try (Terminal terminal = plain
                ? new DumbTerminal("ksim", Terminal.TYPE_DUMB, root.in(), new HaltCommand.WriterOutput(root.out()),
                        StandardCharsets.UTF_8)
                : TerminalBuilder.builder().name("ksim").system(true).build();
                KernelHost host = KernelHost.boot(spec, env);
                Session s = new Session(host, env, terminal.writer(), root.err())) {
            if (!plain) {
                terminal.writer().println("ksim: Linux " + spec.release() + " " + spec.arch() + " with "
                        + spec.cpus() + " CPUs. Type 'help' for the commands, Ctrl-D to leave.");
            }
            return InteractiveShell.run(terminal, s, env.stateDir().resolve("history"));
        }
    }
}
