package dev.ksim.bench;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.text.KFunction;

/** Shared set-up code of the benchmarks. */
final class Kernels {
    /** What {@code -Dksim.probeSites} says for this fork (Cpu.PROBE_SITES reads the same property). */
    static final boolean PROBE_SITES = !"false".equals(System.getProperty("ksim.probeSites"));

    private Kernels() {
    }

    /** @return a freshly booted x86_64 kernel with the default options (4 CPUs) */
    static SimKernel boot() {
        return SimKernel.boot(BootOptions.defaults());
    }

    /**
     * @param k the kernel
     * @param f a function
     * @return how many kprobe breakpoints are written in f's real instructions right now
     */
    static int breakpointsIn(SimKernel k, KFunction f) {
        int n = 0;
        for (int i = 0; i <= f.lastInsn(); i++) {
            if (f.breakpointAt(i, k.arch())) {
                n++;
            }
        }
        return n;
    }

    /** Throws if the condition does not hold: a benchmark that measures the wrong thing must fail. */
    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark set-up is wrong: " + what);
        }
    }
}
