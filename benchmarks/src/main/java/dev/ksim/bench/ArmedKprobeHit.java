package dev.ksim.bench;

import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.Task;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Target 2: an armed kprobe hit with an empty pre_handler costs at most 10 ns.
 *
 * <p>{@link #hit}: one call of the function per operation, with a kprobe on its entry whose handlers do
 * nothing, so the full hit path runs (breakpoint, trap frame, preempt count and IRQ state,
 * {@code current_kprobe} recursion guard, pre_handler, single-step of the original instruction, post
 * path). {@code probe=none} is the same call with nothing registered, in the same code shape, so a hit
 * costs {@code score(pre) - score(none)}:
 * <ul>
 *   <li>{@code none}: no probe (the disarmed baseline);</li>
 *   <li>{@code pre}: a pre_handler returning 0;</li>
 *   <li>{@code prePost}: the same plus an empty post_handler.</li>
 * </ul>
 *
 * <p>{@link #armedNoHit}: vfs_read with a probe on its first call instruction, which its default body
 * never reaches: the function counts as armed but nothing traps. This isolates what an armed function
 * costs per call before any breakpoint is taken (the instruction-by-instruction walk).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ArmedKprobeHit {

    /** A kernel, a function and CPU 0 run by the benchmark thread. */
    public abstract static class OnCpu {
        SimKernel k;
        Cpu cpu;
        KFunction f;
        Kprobe kp;
        long a0 = 3;
        long a1 = 0x1000;
        long a2 = 10;
        long a3;

        /** @return the function to call */
        abstract String function();

        /** @return the probe to register, or null */
        abstract Kprobe probe();

        @Setup(Level.Trial)
        public void boot() {
            Kernels.check(Kernels.PROBE_SITES, "functions are built with probe sites");
            k = Kernels.boot();
            f = k.function(function());
            kp = probe();
            if (kp != null) {
                Kernels.check(k.register_kprobe(kp) == 0, "register_kprobe on " + f.name());
                Kernels.check(Kernels.breakpointsIn(k, f) == 1, "one breakpoint in " + f.name());
            } else {
                Kernels.check(Kernels.breakpointsIn(k, f) == 0, "no breakpoint in " + f.name());
            }
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
            Kernels.check(cpu.currentKprobe() == null && cpu.preemptCount() == 0 && cpu.trapDepth() == 0,
                    "the CPU left every trap");
            cpu.release();
            if (kp != null) {
                Kernels.check(kp.nmissed == 0, "no hit was missed");
                k.unregister_kprobe(kp);
            }
            k.close();
        }
    }

    /** A probe on the function's entry, or none. */
    @State(Scope.Thread)
    public static class Hit extends OnCpu {
        /** A function with two call instructions (its default body makes none), and a leaf. */
        @Param({"vfs_read", "rw_verify_area"})
        public String function;

        @Param({"none", "pre", "prePost"})
        public String probe;

        @Override
        String function() {
            return function;
        }

        @Override
        Kprobe probe() {
            if (probe.equals("none")) {
                return null;
            }
            Kprobe p = new Kprobe(function);
            p.pre_handler = (kp, regs) -> 0;
            if (probe.equals("prePost")) {
                p.post_handler = (kp, regs, flags) -> {
                };
            }
            return p;
        }
    }

    /** vfs_read with a probe on an instruction the call does not pass. */
    @State(Scope.Thread)
    public static class NoHit extends OnCpu {
        @Override
        String function() {
            return "vfs_read";
        }

        @Override
        Kprobe probe() {
            Kprobe p = new Kprobe();
            p.addr = f.insnAddress(f.callInsnIndex(0));
            p.pre_handler = (kp, regs) -> {
                throw new IllegalStateException("this probe is never hit");
            };
            return p;
        }
    }

    @Benchmark
    public long hit(Hit s) {
        return s.cpu.call(s.f, s.a0, s.a1, s.a2, s.a3);
    }

    @Benchmark
    public long armedNoHit(NoHit s) {
        return s.cpu.call(s.f, s.a0, s.a1, s.a2, s.a3);
    }
}
