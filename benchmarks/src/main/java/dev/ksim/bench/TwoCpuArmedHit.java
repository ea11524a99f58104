package dev.ksim.bench;

import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.sdk.Kprobe;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Target 5 (optional): two threads on two CPUs hitting the same armed kprobe, per-call cost against one
 * thread. Each JMH thread runs its own CPU (thread i runs CPU i) as its own task; the probe (empty
 * pre_handler on vfs_read's entry) is shared. The hit path writes only per-CPU state, so the per-call
 * cost should not grow with a second CPU. On this 2-vCPU machine two threads leave nothing for the JIT
 * and GC threads, so expect more noise.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TwoCpuArmedHit {

    /** The kernel and the probe, shared by every thread. */
    @State(Scope.Benchmark)
    public static class Kernel {
        SimKernel k;
        KFunction f;
        Kprobe kp;

        @Setup(Level.Trial)
        public void boot() {
            k = Kernels.boot();
            f = k.function("vfs_read");
            kp = new Kprobe("vfs_read");
            kp.pre_handler = (p, regs) -> 0;
            Kernels.check(k.register_kprobe(kp) == 0, "register_kprobe(vfs_read)");
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            Kernels.check(kp.nmissed == 0, "no hit was missed");
            k.unregister_kprobe(kp);
            k.close();
        }
    }

    /** The CPU the thread runs. */
    @State(Scope.Thread)
    public static class OwnCpu {
        Cpu cpu;
        KFunction f;
        long a0 = 3;
        long a1 = 0x1000;
        long a2 = 10;
        long a3;

        @Setup(Level.Trial)
        public void acquire(Kernel kernel, ThreadParams t) {
            cpu = kernel.k.cpu(t.getThreadIndex());
            f = kernel.f;
            cpu.acquire(kernel.k.newTask("bench" + t.getThreadIndex(), false));
        }

        @Setup(Level.Iteration)
        public void onCpu() {
            Kernels.check(cpu.isOwnedByCurrentThread(), "the thread still runs " + cpu);
        }

        @TearDown(Level.Trial)
        public void release() {
            cpu.release();
        }
    }

    /** One thread hitting the probe on CPU 0. */
    @Benchmark
    @Threads(1)
    public long oneCpu(OwnCpu s) {
        return s.cpu.call(s.f, s.a0, s.a1, s.a2, s.a3);
    }

    /** Two threads on CPUs 0 and 1 hitting the same probe. */
    @Benchmark
    @Threads(2)
    public long twoCpus(OwnCpu s) {
        return s.cpu.call(s.f, s.a0, s.a1, s.a2, s.a3);
    }
}
