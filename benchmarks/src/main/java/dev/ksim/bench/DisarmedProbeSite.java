package dev.ksim.bench;

import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.Task;
import dev.ksim.kernel.text.KFunction;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Target 1: a disarmed probe site costs at most 0.5 ns over the same function built without
 * instrumentation.
 *
 * <p>Both methods run the same code, {@code cpu.call(f, …)} on a function with no probe anywhere in it;
 * they differ only in the fork's {@code -Dksim.probeSites}: with {@code false} the simulated functions are
 * built without probe sites (Cpu.PROBE_SITES is a static final false and the JIT drops every check).
 * The difference of the two scores is the disarmed site's cost. Forks are noisy at this scale: compare
 * alternated single forks (docs/PERFORMANCE.md, target 1). The set-up fails if a fork's flag is not the
 * one its method expects, e.g. when a command-line {@code -jvmArgsAppend} replaces the annotation's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class DisarmedProbeSite {
    /** A function with two call instructions (its default body makes no calls), and a leaf. */
    @Param({"vfs_read", "rw_verify_area"})
    public String function;

    private SimKernel k;
    private Cpu cpu;
    private KFunction f;
    private long a0 = 3;
    private long a1 = 0x1000;
    private long a2 = 10;
    private long a3;

    @Setup(Level.Trial)
    public void boot(BenchmarkParams params) {
        boolean instrumented = params.getBenchmark().endsWith(".withProbeSites");
        Kernels.check(Kernels.PROBE_SITES == instrumented, "-Dksim.probeSites=" + instrumented + " in this fork");
        k = Kernels.boot();
        f = k.function(function);
        Kernels.check(f.armed == 0 && Kernels.breakpointsIn(k, f) == 0, "no probe in " + function);
        Task task = k.newTask("bench", false);
        cpu = k.cpu(0);
        cpu.acquire(task);
    }

    @Setup(Level.Iteration)
    public void onCpu() {
        Kernels.check(cpu.isOwnedByCurrentThread(), "the benchmark thread runs CPU 0");
    }

    @TearDown(Level.Trial)
    public void shutdown() {
        cpu.release();
        k.close();
    }

    /** The function as ksim builds it by default: with probe sites, none armed. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dksim.probeSites=true")
    public long withProbeSites() {
        return cpu.call(f, a0, a1, a2, a3);
    }

    /** The uninstrumented baseline: the same call with the functions built without probe sites. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Dksim.probeSites=false")
    public long withoutProbeSites() {
        return cpu.call(f, a0, a1, a2, a3);
    }
}
