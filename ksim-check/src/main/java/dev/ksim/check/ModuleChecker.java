package dev.ksim.check;

import com.github.javaparser.symbolsolver.javaparsermodel.JavaParserFacade;
import dev.ksim.kernel.KernelProfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Static checks of ksim module sources: what {@code ksim check}, {@code insmod Foo.java} and
 * {@link Main} run, callable from tests and build tools.
 *
 * <pre>{@code
 * CheckReport r = new ModuleChecker(KernelProfile.current()).check(List.of(Path.of("src/main/java")));
 * System.out.print(r.format());
 * assertFalse(r.hasErrors());
 * }</pre>
 *
 * <p>Each {@code .java} file is parsed (Java 17) with its symbols resolved against the JDK, the SDK and
 * the source roots of the files given; each class implementing {@code KernelModule} is checked by every
 * {@link Rule}. Findings are suppressed with {@code @SuppressWarnings("ksim:RULE-ID")} (or
 * {@code "ksim:all"}) on the enclosing class, method or field. Not thread-safe: use one checker per
 * thread.
 */
public final class ModuleChecker {
    private static final List<CheckRule> RULES = List.of(new HandlerContextRule(), new RegistrationRule(),
            new KretprobeRule(), new ProbeTargetRule(), new MetadataRule(), new HandlerHygieneRule());

    private final KernelProfile profile;
    private boolean warningsAreErrors;

    /** @param profile the kernel whose symbols and blacklist probe targets are checked against */
    public ModuleChecker(KernelProfile profile) {
        this.profile = profile;
    }

    /**
     * {@code --Werror}: report warnings as errors.
     *
     * @param on whether to
     * @return this checker
     */
    public ModuleChecker warningsAreErrors(boolean on) {
        this.warningsAreErrors = on;
        return this;
    }

    /**
     * Checks files, and the {@code .java} files under directories.
     *
     * @param paths files and directories
     * @return the findings, sorted by file and position
     * @throws CheckException if a path does not exist, is not Java source, or does not parse
     */
    public CheckReport check(List<Path> paths) throws CheckException {
        List<Path> files = Sources.expand(paths);
        Findings findings = new Findings();
        try {
            List<Sources.SourceFile> parsed = Sources.parse(files);
            CallResolver resolver = new CallResolver(parsed);
            KernelSymbols kernel = KernelSymbols.of(profile);
            for (Sources.SourceFile f : parsed) {
                for (ModuleModel m : ModuleModel.of(f.path(), f.unit())) {
                    CheckRule.Context ctx = new CheckRule.Context(kernel, resolver, HandlerReach.of(m, resolver));
                    for (CheckRule rule : RULES) {
                        rule.check(m, ctx, findings);
                    }
                }
            }
        } finally {
            // javaparser keeps a facade per type solver in a static WeakHashMap whose values hold their keys:
            // without this, every check of a long-lived process (the booted kernel's insmod) would stay in memory
            JavaParserFacade.clearInstances();
        }
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : findings.all()) {
            out.add(warningsAreErrors && d.severity() == Severity.WARNING ? d.asError() : d);
        }
        out.sort(Comparator.comparing((Diagnostic d) -> d.at().file().toString())
                .thenComparingInt(d -> d.at().line()).thenComparingInt(d -> d.at().column()));
        return new CheckReport(files.size(), out);
    }
}
