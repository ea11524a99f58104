package dev.ksim.bench;

import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.sdk.Kretprobe;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Issue 3's targets: a kretprobe's entry and return with empty handlers (≤ 25 ns per call over the
 * unprobed call), and two CPUs hitting the same kretprobe (per-call cost within 1.5× of one CPU: the
 * instance pool must not collapse on a shared counter). The function is {@code rw_verify_area}, a leaf.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KretprobeHit {

    /** The kernel and, unless {@code probe=none}, the kretprobe; shared by every thread. */
    @State(Scope.Benchmark)
    public static class Kernel {
        /** {@code none}: no probe; {@code kretprobe}: entry_handler and handler that return 0. */
        @Param({"none", "kretprobe"})
        public String probe;

        SimKernel k;
        KFunction f;
        Kretprobe rp;

        @Setup(Level.Trial)
        public void boot() {
            k = Kernels.boot();
            f = k.function("rw_verify_area");
            if (probe.equals("kretprobe")) {
                rp = new Kretprobe("rw_verify_area");
                rp.entry_handler = (ri, regs) -> 0;
                rp.handler = (ri, regs) -> 0;
                Kernels.check(k.register_kretprobe(rp) == 0, "register_kretprobe(rw_verify_area)");
            }
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            if (rp != null) {
                Kernels.check(rp.nmissed == 0, "no call was missed");
                k.unregister_kretprobe(rp);
            }
            k.close();
        }
    }

    /** The CPU the thread runs. */
    @State(Scope.Thread)
    public static class OwnCpu {
        Cpu cpu;
        KFunction f;

        @Setup(Level.Trial)
        public void acquire(Kernel kernel, ThreadParams t) {
            cpu = kernel.k.cpu(t.getThreadIndex());
            f = kernel.f;
            cpu.acquire(kernel.k.newTask("bench" + t.getThreadIndex(), false));
        }

        @TearDown(Level.Trial)
        public void release() {
            cpu.release();
        }
    }

    /** One thread on CPU 0. */
    @Benchmark
    @Threads(1)
    public long oneCpu(OwnCpu s) {
        return s.cpu.call(s.f, 0, 0, 0, 8);
    }

    /** Two threads on CPUs 0 and 1, the same kretprobe. */
    @Benchmark
    @Threads(2)
    public long twoCpus(OwnCpu s) {
        return s.cpu.call(s.f, 0, 0, 0, 8);
    }
}
