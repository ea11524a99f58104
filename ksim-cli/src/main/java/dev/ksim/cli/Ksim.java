package dev.ksim.cli;

import dev.ksim.cli.daemon.Client;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs the {@code ksim} command line. A session command ({@code ksim lsmod}, {@code ksim insmod x.jar})
 * goes straight to the booted kernel without loading picocli; everything else ({@code run}, {@code shell},
 * {@code boot}, {@code halt}, {@code help}) is parsed by {@link KsimCommand}. Returns the exit status:
 * 0 success, 1 failure, 2 usage error; never exits the JVM.
 */
public final class Ksim {
    private Ksim() {
    }

    /**
     * Runs a command line.
     *
     * @param args the arguments
     * @param env the paths
     * @param in standard input (scripts read from {@code -})
     * @param out standard output
     * @param err standard error
     * @return the exit status
     */
    public static int execute(String[] args, KsimEnv env, InputStream in, PrintStream out, PrintStream err) {
        if (args.length > 0 && CommandNames.isCommand(args[0]) && !args[0].equals("help")) {
            return Client.forward(env, List.of(args), out, err);
        }
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CommandLine cl = new CommandLine(new KsimCommand(env, in, o, e));
        cl.setOut(o);
        cl.setErr(e);
        cl.setExpandAtFiles(false);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter w = ex.getCommandLine().getErr();
            String cmd = ex.getCommandLine().getCommandSpec().qualifiedName();
            if (ex instanceof CommandLine.UnmatchedArgumentException u && ex.getCommandLine().getCommandSpec().name()
                    .equals("ksim") && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
                w.println("ksim: '" + u.getUnmatched().get(0) + "' is not a ksim command. See 'ksim --help'.");
            } else {
                w.println(cmd + ": " + ex.getMessage());
                w.println("Try '" + cmd + " --help' for more information.");
            }
            w.flush();
            return 2;
        });
        int status = cl.execute(args);
        o.flush();
        e.flush();
        return status;
    }
}
