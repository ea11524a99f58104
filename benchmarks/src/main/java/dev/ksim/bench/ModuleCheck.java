package dev.ksim.bench;

import dev.ksim.check.CheckException;
import dev.ksim.check.CheckReport;
import dev.ksim.check.ModuleChecker;
import dev.ksim.kernel.KernelProfile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Target: {@code ksim check} of a 500-line module takes at most 1 s after JVM start.
 *
 * <p>The module is {@code check/WideModule.java} (497 lines: twelve kprobes and kretprobes, their handlers and
 * helpers, parameters, statistics), written to a source tree before timing. {@code cold} is the first check
 * in a fresh JVM, the case the target is about: loading javaparser and its symbol solver, reading the
 * kernel profile's symbol tables, parsing, resolving and running every rule (one shot per fork, ten forks);
 * {@code coldLauncherJvm} is the same with the JVM options {@code ./ksim} starts with (C1 only, serial GC).
 * {@code warm} is a check in a JIT-warm JVM, as in a long-running build or editor.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ModuleCheck {

    /** The module's source tree. */
    @State(Scope.Benchmark)
    public static class Source {
        Path file;

        @Setup
        public void write() throws IOException {
            Path pkg = Files.createDirectories(Files.createTempDirectory("ksim-check").resolve("dev/ksim/bench/check"));
            file = pkg.resolve("WideModule.java");
            try (InputStream in = ModuleCheck.class.getResourceAsStream("/check/WideModule.java")) {
                Files.write(file, in.readAllBytes());
            }
        }
    }

    private static CheckReport check(Source s) throws CheckException {
        CheckReport r = new ModuleChecker(KernelProfile.current()).check(List.of(s.file));
        if (r.errors() + r.warnings() != 0) {
            throw new IllegalStateException("the timed module must check clean:\n" + r.format());
        }
        return r;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Fork(10)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public CheckReport cold(Source s) throws CheckException {
        return check(s);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Fork(value = 10, jvmArgsAppend = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"})
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public CheckReport coldLauncherJvm(Source s) throws CheckException {
        return check(s);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Fork(1)
    @Warmup(iterations = 5, time = 1)
    @Measurement(iterations = 5, time = 1)
    public CheckReport warm(Source s) throws CheckException {
        return check(s);
    }
}
