package dev.ksim.check;

import dev.ksim.kernel.KernelProfile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The checker as a program, for builds ({@code exec-maven-plugin}'s {@code java} goal) and scripts:
 * {@code java dev.ksim.check.Main [--profile 4.14|5.10|6.8] [--Werror] PATH...}. Findings go to standard
 * output, usage and I/O errors to standard error.
 *
 * <p>Exit status: {@value CheckReport#CLEAN} no errors, {@value CheckReport#ERRORS} errors found,
 * {@value #USAGE} usage or I/O error (including a file that does not parse, and a failure of the checker
 * itself).
 */
public final class Main {
    /** Exit status: bad usage, or a file that cannot be read or parsed. */
    public static final int USAGE = 2;

    private Main() {
    }

    /**
     * Runs the checker and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the checker.
     *
     * @param args the command line
     * @param out where findings go
     * @param err where usage errors go
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        KernelProfile profile = KernelProfile.current();
        boolean werror = false;
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            try {
                if (a.equals("--profile") && i + 1 < args.length) {
                    profile = KernelProfile.parse(args[++i]);
                } else if (a.startsWith("--profile=")) {
                    profile = KernelProfile.parse(a.substring("--profile=".length()));
                } else if (a.equals("--Werror")) {
                    werror = true;
                } else if (a.equals("-h") || a.equals("--help")) {
                    out.println(usage());
                    return 0;
                } else if (a.startsWith("-")) {
                    err.println("ksim check: unrecognized option '" + a + "'");
                    err.println(usage());
                    return USAGE;
                } else {
                    paths.add(Path.of(a));
                }
            } catch (IllegalArgumentException e) {
                err.println("ksim check: " + e.getMessage());
                return USAGE;
            }
        }
        if (paths.isEmpty()) {
            err.println("ksim check: missing PATH");
            err.println(usage());
            return USAGE;
        }
        try {
            CheckReport r = new ModuleChecker(profile).warningsAreErrors(werror).check(paths);
            out.print(r.format());
            return r.exitStatus();
        } catch (CheckException e) {
            err.println(e.getMessage());
            return USAGE;
        } catch (RuntimeException e) {
            // a checker bug must not look like "errors found" (1) to a CI job
            err.println("ksim check: internal error: " + e);
            return USAGE;
        }
    }

    private static String usage() {
        return "Usage: ksim check [--profile 4.14|5.10|6.8] [--Werror] PATH...\n"
                + "Exit status: 0 no errors, 1 errors found, 2 usage or I/O error.";
    }
}
