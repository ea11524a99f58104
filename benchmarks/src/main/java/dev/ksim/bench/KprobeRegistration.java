package dev.ksim.bench;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.text.FnAttr;
import dev.ksim.kernel.text.FunctionDef;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.kernel.text.ModuleText;
import dev.ksim.sdk.Kprobe;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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
 * Target 3: {@code register_kprobes} of 10,000 probes on distinct functions takes at most 100 ms, and
 * {@code unregister_kprobes} of them likewise.
 *
 * <p>One operation is one batch call; single-shot, since the state has to be reset between batches
 * (outside the timing, in the iteration set-up/tear-down). Probes are registered by address. The
 * benchmark thread holds no CPU and no other CPU is in kernel mode, so unregistration's one grace
 * period is the bare scan of the CPUs. Two address sets:
 * <ul>
 *   <li>{@code image}: every instruction boundary of every function of the kernel image that kprobes
 *       accepts (not blacklisted, not an unsupported instruction). The image has 195 functions and
 *       only about 2,200 such addresses on x86_64, fewer than 10,000: this measures all of them.</li>
 *   <li>{@code module}: the entries of 10,000 distinct functions of a module whose text is loaded for
 *       the purpose (one 0-argument leaf each): 10,000 probes on distinct functions, as the target says.</li>
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 30)
@Measurement(iterations = 50)
@Fork(1)
public class KprobeRegistration {
    /** Functions in the {@code module} address set. */
    static final int MODULE_FUNCTIONS = 10_000;

    /** A kernel and the probes, one per valid address. */
    @State(Scope.Benchmark)
    public abstract static class Probes {
        @Param({"image", "module"})
        public String addresses;

        SimKernel k;
        Kprobe[] kps;
        int n;
        /** Function and instruction index of each probe's address, to check the breakpoints. */
        KFunction[] fns;
        int[] idx;
        /** What the timed register_kprobes returned. */
        int result;

        @Setup(Level.Trial)
        public void boot() {
            k = SimKernel.boot(BootOptions.defaults().withMaxInsnPages(1 << 16));
            List<Long> candidates = new ArrayList<>();
            if (addresses.equals("image")) {
                for (KFunction f : k.text().coreFunctions()) {
                    for (int i = 0; i <= f.lastInsn(); i++) {
                        if (!k.kprobes().isBlacklisted(f.insnAddress(i))) {
                            candidates.add(f.insnAddress(i));
                        }
                    }
                }
            } else {
                List<FunctionDef> defs = new ArrayList<>();
                for (int i = 0; i < MODULE_FUNCTIONS; i++) {
                    defs.add(new FunctionDef(String.format("bench_fn_%05d", i), 0, List.of(), 0,
                            EnumSet.noneOf(FnAttr.class)));
                }
                ModuleText mt = k.text().loadModule("kprobe_bench", defs);
                mt.setState(ModuleText.State.LIVE);
                for (KFunction f : mt.functions.values()) {
                    candidates.add(f.address());
                }
            }
            // keep the addresses a throwaway registration accepts (drops the -EINVAL/-EOPNOTSUPP ones)
            List<Kprobe> ok = new ArrayList<>();
            for (long a : candidates) {
                Kprobe p = probeAt(a);
                if (k.register_kprobe(p) == 0) {
                    ok.add(p);
                }
            }
            kps = ok.toArray(new Kprobe[0]);
            n = kps.length;
            k.unregister_kprobes(kps, n);
            Kernels.check(addresses.equals("image") || n == MODULE_FUNCTIONS, "10,000 module probes, got " + n);
            Kernels.check(Cpu.current() == null, "the benchmark thread holds no CPU");
            fns = new KFunction[n];
            idx = new int[n];
            for (int i = 0; i < n; i++) {
                kps[i] = probeAt(kps[i].addr);
                fns[i] = k.text().functionAt(kps[i].addr);
                idx[i] = fns[i].insnIndexAt(kps[i].addr);
            }
            Kernels.check(armed() == 0, "no breakpoint before the first batch");
        }

        private static Kprobe probeAt(long addr) {
            Kprobe p = new Kprobe();
            p.addr = addr;
            p.pre_handler = (kp, regs) -> 0;
            return p;
        }

        /** What a module does before registering the same structs again. */
        void reset() {
            for (Kprobe p : kps) {
                p.flags = 0;
            }
        }

        void register() {
            int r = k.register_kprobes(kps, n);
            Kernels.check(r == 0, "register_kprobes returned " + r);
        }

        /** @return how many of the probes' addresses hold a breakpoint (allocates nothing) */
        int armed() {
            int armed = 0;
            for (int i = 0; i < n; i++) {
                KFunction f = fns[i];
                if (f.breakpointAt(idx[i], k.arch())) {
                    armed++;
                }
            }
            return armed;
        }

        @TearDown(Level.Trial)
        public void shutdown() {
            k.close();
        }
    }

    /** Probes not registered at the start of each batch; unregistered after it. */
    @State(Scope.Benchmark)
    public static class Unregistered extends Probes {
        @Setup(Level.Iteration)
        public void before() {
            reset();
        }

        @TearDown(Level.Iteration)
        public void after() {
            Kernels.check(result == 0, "register_kprobes returned " + result);
            Kernels.check(armed() == n, "all " + n + " breakpoints written");
            k.unregister_kprobes(kps, n);
        }
    }

    /** Probes registered at the start of each batch. */
    @State(Scope.Benchmark)
    public static class Registered extends Probes {
        @Setup(Level.Iteration)
        public void before() {
            reset();
            register();
        }

        @TearDown(Level.Iteration)
        public void after() {
            Kernels.check(armed() == 0, "every breakpoint removed");
        }
    }

    /** @return 0: one register_kprobes of every probe */
    @Benchmark
    public int registerKprobes(Unregistered s) {
        return s.result = s.k.register_kprobes(s.kps, s.n);
    }

    /** One unregister_kprobes of every probe. */
    @Benchmark
    public void unregisterKprobes(Registered s) {
        s.k.unregister_kprobes(s.kps, s.n);
    }
}
