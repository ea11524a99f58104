package dev.ksim.cli;

import dev.ksim.cli.shell.Interpreter;
import dev.ksim.cli.shell.KernelHost;
import dev.ksim.cli.shell.Session;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ksim run FILE|-}: boots a kernel and runs a script on it, stopping at the first failure as sh -e. */
@Command(mixinStandardHelpOptions = true, name = "run", description = {"Boot a kernel and run a script of ksim commands on it, one per line, "
        + "# comments.", "It stops at the first failing command (as sh -e); after 'set +e' it goes on and exits with "
        + "the last command's status."})
public final class RunCommand implements Callable<Integer> {
    @ParentCommand
    KsimCommand root;

    @Mixin
    BootOptionsMixin boot;

    @Parameters(index = "0", paramLabel = "FILE", description = "the script, or - for standard input")
    String file;

    /** For picocli. */
    public RunCommand() {
    }

    @Override
    public Integer call() {
        var spec = boot.toSpec();
        KsimEnv env = root.env();
        List<String> lines;
        try {
            if (file.equals("-")) {
                lines = new BufferedReader(new InputStreamReader(root.in(), StandardCharsets.UTF_8)).lines().toList();
            } else {
                lines = Files.readAllLines(env.cwd().resolve(file), StandardCharsets.UTF_8);
            }
        } catch (NoSuchFileException e) {
            root.err().println("ksim: " + file + ": No such file or directory");
            return 1;
        } catch (IOException | java.io.UncheckedIOException e) {
            root.err().println("ksim: " + file + ": " + e.getMessage());
            return 1;
        }
        try (KernelHost host = KernelHost.boot(spec, env);
                Session s = new Session(host, env, root.out(), root.err())) {
            Interpreter sh = new Interpreter(s, s.shell(), file.equals("-") ? "ksim" : file, true);
            sh.setErrexit(true);
            for (int i = 0; i < lines.size(); i++) {
                Interpreter.Result r = sh.runLine(lines.get(i), i + 1);
                if (r.exit()) {
                    return r.status();
                }
            }
            return sh.status();
        }
    }
}
