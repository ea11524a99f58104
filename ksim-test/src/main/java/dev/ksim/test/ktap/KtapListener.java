package dev.ksim.test.ktap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes a JUnit run as KTAP version 1 (the kernel's {@code Documentation/dev-tools/ktap.rst}), as KUnit
 * reports its suites, for CI systems that read KTAP: each test class is a suite, a subtest of the run, and
 * each test in it a numbered {@code ok}/{@code not ok} line; a failure's message follows as {@code #}
 * diagnostics and a skipped test is {@code ok N name # SKIP reason}.
 *
 * <pre>
 * KTAP version 1
 * 1..1
 *     KTAP version 1
 *     # Subtest: dev.ksim.samples.kprobes.KprobeExampleTest
 *     1..2
 *     ok 1 aBadSymbolFailsInsmodWithTheKernelsErrno
 *     not ok 2 probingAnotherFunctionThroughTheParameter
 *     # no line matching /handler_pre: .../ in dmesg (5 lines):
 * not ok 1 dev.ksim.samples.kprobes.KprobeExampleTest
 * </pre>
 *
 * <p>Registered with the JUnit Platform through {@link java.util.ServiceLoader}; it writes only when the system
 * property {@code ksim.ktap} names the output file. Events arrive from one thread at a time (the launcher
 * serialises them), and every method synchronizes on this anyway.
 */
public final class KtapListener implements TestExecutionListener {
    /** The system property naming the output file. */
    public static final String PROPERTY = "ksim.ktap";

    private final Path out;
    /** Suites by test class, in the order they started; guarded by this. */
    private final Map<String, Suite> suites = new LinkedHashMap<>();

    /** The listener the platform loads: writes to {@code -Dksim.ktap=FILE}, or nothing. */
    public KtapListener() {
        this(Optional.ofNullable(System.getProperty(PROPERTY)).filter(s -> !s.isBlank()).map(Path::of).orElse(null));
    }

    /** @param out the file to write, or {@code null} to write nothing */
    public KtapListener(Path out) {
        this.out = out;
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier test, String reason) {
        if (out != null && test.isTest()) {
            suite(test).results.add(new Result(name(test), Status.SKIP, reason));
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (out == null) {
            return;
        }
        String message = result.getThrowable().map(t -> String.valueOf(t.getMessage())).orElse("");
        Status status = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? Status.OK : Status.NOT_OK;
        if (test.isTest()) {
            suite(test).results.add(new Result(name(test), status, message));
        } else if (classOf(test) != null && status == Status.NOT_OK) {
            Suite s = suites.computeIfAbsent(classOf(test), Suite::new);
            s.failure = message.isEmpty() ? "the class failed" : message;
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan plan) {
        if (out == null) {
            return;
        }
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(out, render(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("ksim.ktap: cannot write " + out, e);
        }
    }

    /** @return the whole run as KTAP */
    synchronized String render() {
        StringBuilder b = new StringBuilder("KTAP version 1\n1..").append(suites.size()).append('\n');
        int n = 0;
        for (Suite s : suites.values()) {
            n++;
            b.append("    KTAP version 1\n    # Subtest: ").append(s.name).append('\n');
            b.append("    1..").append(s.results.size()).append('\n');
            int i = 0;
            boolean ok = s.failure == null;
            for (Result r : s.results) {
                i++;
                ok &= r.status != Status.NOT_OK;
                b.append("    ").append(r.status == Status.NOT_OK ? "not ok " : "ok ").append(i).append(' ')
                        .append(r.name);
                if (r.status == Status.SKIP) {
                    b.append(" # SKIP ").append(oneLine(r.message));
                }
                b.append('\n');
                if (r.status == Status.NOT_OK) {
                    diagnostics(b, "    ", r.message);
                }
            }
            if (s.failure != null) {
                diagnostics(b, "    ", s.failure);
            }
            b.append(ok ? "ok " : "not ok ").append(n).append(' ').append(s.name).append('\n');
        }
        return b.toString();
    }

    private static void diagnostics(StringBuilder b, String indent, String message) {
        for (String line : message.split("\n", -1)) {
            if (!line.isBlank()) {
                b.append(indent).append("# ").append(line).append('\n');
            }
        }
    }

    private Suite suite(TestIdentifier test) {
        String cls = classOf(test);
        return suites.computeIfAbsent(cls == null ? "tests" : cls, Suite::new);
    }

    /** The test class a test or container belongs to (its own source, else its legacy reporting name). */
    private static String classOf(TestIdentifier test) {
        return test.getSource().filter(ClassSource.class::isInstance).map(s -> ((ClassSource) s).getClassName())
                .orElseGet(() -> test.getSource()
                        .filter(org.junit.platform.engine.support.descriptor.MethodSource.class::isInstance)
                        .map(s -> ((org.junit.platform.engine.support.descriptor.MethodSource) s).getClassName())
                        .orElse(null));
    }

    /** A test's name: its method, and the invocation's display name for parameterized tests. */
    private static String name(TestIdentifier test) {
        String method = test.getSource()
                .filter(org.junit.platform.engine.support.descriptor.MethodSource.class::isInstance)
                .map(s -> ((org.junit.platform.engine.support.descriptor.MethodSource) s).getMethodName())
                .orElse(test.getDisplayName());
        String display = test.getDisplayName();
        String n = display.startsWith("[") ? method + " " + display : method;
        return oneLine(n).replace('#', '_');
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    private enum Status { OK, NOT_OK, SKIP }

    private record Result(String name, Status status, String message) {
    }

    /** One test class's results. */
    private static final class Suite {
        final String name;
        final List<Result> results = new ArrayList<>();
        /** Why the class itself failed (a failing {@code @BeforeAll}), or null. */
        String failure;

        Suite(String name) {
            this.name = name;
        }
    }
}
