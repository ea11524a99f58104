package dev.ksim.check;

import java.util.List;

/**
 * What a check found in a set of files.
 *
 * <p>Exit statuses for CI ({@link #exitStatus()}): {@value #CLEAN} when no error was found (warnings and
 * notes allowed), {@value #ERRORS} when at least one error was; {@value Main#USAGE} is a usage or I/O
 * error, decided before a report exists.
 *
 * @param files how many files were checked
 * @param diagnostics the findings, by file and position
 */
public record CheckReport(int files, List<Diagnostic> diagnostics) {
    /** Exit status: no errors. */
    public static final int CLEAN = 0;
    /** Exit status: errors found. */
    public static final int ERRORS = 1;

    public CheckReport {
        diagnostics = List.copyOf(diagnostics);
    }

    /** @return how many findings are errors */
    public long errors() {
        return count(Severity.ERROR);
    }

    /** @return how many findings are warnings */
    public long warnings() {
        return count(Severity.WARNING);
    }

    private long count(Severity s) {
        return diagnostics.stream().filter(d -> d.severity() == s).count();
    }

    /** @return whether there is an error: {@code insmod} refuses such a module */
    public boolean hasErrors() {
        return errors() > 0;
    }

    /**
     * @param rule a rule
     * @return the findings of that rule
     */
    public List<Diagnostic> of(Rule rule) {
        return diagnostics.stream().filter(d -> d.rule() == rule).toList();
    }

    /** @return {@link #ERRORS} if an error was found, else {@link #CLEAN} */
    public int exitStatus() {
        return hasErrors() ? ERRORS : CLEAN;
    }

    /** @return e.g. {@code "1 error, 2 warnings (3 files checked)"}, javac's wording plus the file count */
    public String summary() {
        long e = errors();
        long w = warnings();
        return e + (e == 1 ? " error, " : " errors, ") + w + (w == 1 ? " warning" : " warnings") + " (" + files
                + (files == 1 ? " file" : " files") + " checked)";
    }

    /** @return every finding, then the summary line */
    public String format() {
        StringBuilder b = new StringBuilder();
        for (Diagnostic d : diagnostics) {
            b.append(d.format());
        }
        return b.append(summary()).append('\n').toString();
    }
}
