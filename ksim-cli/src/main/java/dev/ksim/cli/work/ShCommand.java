package dev.ksim.cli.work;

import dev.ksim.cli.shell.Interpreter;
import dev.ksim.cli.shell.Invocation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sh -c 'COMMANDS'}: a new shell process (fork, exec /bin/sh) that runs the command string. */
@Command(name = "sh", description = "Run a command string in a new shell process.")
public final class ShCommand implements Callable<Integer> {
    @Option(names = "-c", paramLabel = "COMMANDS", description = "the commands to run")
    String commands;

    @Option(names = "-e", description = "exit at the first failing command")
    boolean errexit;

    @Option(names = "--help", usageHelp = true, description = "display this help and exit")
    boolean help;

    @Parameters(arity = "0..*", hidden = true)
    List<String> rest = new ArrayList<>();

    /** For picocli. */
    public ShCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        if (commands == null) {
            inv.err().println("sh: only 'sh -c COMMANDS' is supported; use 'ksim shell' for an interactive shell");
            return 2;
        }
        List<String> argv = new ArrayList<>(List.of("sh", "-c", commands));
        argv.addAll(rest);
        return Programs.run("/bin/sh", argv, p -> {
            Interpreter sh = new Interpreter(inv.session(), p, "sh", true);
            sh.setErrexit(errexit);
            int status = 0;
            int n = 0;
            for (String line : commands.split("\n", -1)) {
                Interpreter.Result r = sh.runLine(line, ++n);
                status = r.status();
                if (r.exit()) {
                    break;
                }
            }
            return status;
        });
    }
}
