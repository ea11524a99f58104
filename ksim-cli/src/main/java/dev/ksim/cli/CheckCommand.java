package dev.ksim.cli;

import dev.ksim.check.CheckException;
import dev.ksim.check.CheckReport;
import dev.ksim.check.Main;
import dev.ksim.check.ModuleChecker;
import dev.ksim.kernel.KernelProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ksim check PATH…}: static checks of module sources, without a kernel (see {@link ModuleChecker}). */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check module sources (.java files, directories) for handler-context, registration, "
                + "probe-target, metadata and handler-hygiene mistakes; findings are printed compiler-style.",
        footer = {"", "Suppress a rule with @SuppressWarnings(\"ksim:RULE-ID\") on the class, method or field.",
            "Exit status: 0 no errors, 1 errors found, 2 usage or I/O error."})
public final class CheckCommand implements Callable<Integer> {
    @ParentCommand
    KsimCommand root;

    @Option(names = "--profile", paramLabel = "VERSION",
            description = "the kernel whose symbols and blacklist probe targets are checked against: 4.14, 5.10 or "
                    + "6.8 (default: the current kernel)")
    String profile = "current";

    @Option(names = "--Werror", description = "treat warnings as errors")
    boolean werror;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "module sources: .java files or directories")
    List<Path> paths = new ArrayList<>();

    /** For picocli. */
    public CheckCommand() {
    }

    @Override
    public Integer call() {
        KernelProfile p;
        try {
            p = KernelProfile.parse(profile);
        } catch (IllegalArgumentException e) {
            root.err().println("ksim check: " + e.getMessage());
            root.err().flush();
            return Main.USAGE;
        }
        List<Path> resolved = paths.stream().map(x -> root.env().cwd().resolve(x)).toList();
        try {
            CheckReport r = new ModuleChecker(p).warningsAreErrors(werror).check(resolved);
            root.out().print(asGiven(r.format(), resolved));
            root.out().flush();
            return r.exitStatus();
        } catch (CheckException e) {
            root.err().println(asGiven(e.getMessage(), resolved));
            root.err().flush();
            return Main.USAGE;
        } catch (RuntimeException e) {
            root.err().println("ksim check: internal error: " + e);
            root.err().flush();
            return Main.USAGE;
        }
    }

    /** The text with the resolved paths written as the user typed them. */
    private String asGiven(String text, List<Path> resolved) {
        for (int i = 0; i < paths.size(); i++) {
            text = text.replace(resolved.get(i).toString(), paths.get(i).toString());
        }
        return text;
    }
}
