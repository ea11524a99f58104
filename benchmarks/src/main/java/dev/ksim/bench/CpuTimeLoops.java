package dev.ksim.bench;

import static dev.ksim.sdk.Printk.pr_info;

import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.spi.KernelBinding;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The hot paths of targets 2, 4 and 5 timed in the calling thread's CPU time instead of wall time: on a
 * machine shared with other builds, time-slicing inflates JMH's wall-clock figures by tens of percent,
 * while a thread's CPU time barely moves. Use it to compare two builds on a busy machine; JMH stays the
 * reference on a quiet one.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.ksim.bench.CpuTimeLoops <case>}
 * with cases {@code hitNone}/{@code hitPre} (vfs_read with no probe / an empty pre_handler on its
 * entry, as {@link ArmedKprobeHit}), {@code kretNone}/{@code kret} (rw_verify_area with no probe / a
 * kretprobe with empty handlers, as {@link KretprobeHit}), {@code kret2} ({@code kret} while a second
 * thread hits the same kretprobe on CPU 1) and {@code printk} (the {@link PrintkRing} line on CPU 0).
 * One case per JVM, as JMH forks: the JIT's profile of an earlier case would slow a later one down. 10
 * warm-up rounds, then 25 measured rounds, printed as min, p25 and median nanoseconds of CPU time per
 * operation.
 */
public final class CpuTimeLoops {
    private static final int CALLS = 1_000_000;
    private static final int WARMUP_ROUNDS = 10;
    private static final int ROUNDS = 25;
    private static final String CASES = "hitNone, hitPre, kretNone, kret, kret2, printk";

    /**
     * Consumes results so the JIT keeps the calls; written once per round (the loops sum into a local), since
     * it shares a cache line with {@link #stop}, which the second thread of {@code kret2} reads per call.
     */
    private static long sink;
    /** Stops the second thread of {@code kret2}. */
    private static volatile boolean stop;
    /** The second thread of {@code kret2}, or null. */
    private static Thread second;
    /** The kernel binding of {@code printk}, or null. */
    private static KernelBinding.Scope binding;

    private CpuTimeLoops() {
    }

    /** @param args the case to run */
    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CpuTimeLoops <case>: " + CASES);
        }
        SimKernel k = Kernels.boot();
        try {
            measure(args[0], loop(k, args[0]));
        } finally {
            tearDown(k);
        }
    }

    /** One round of a case; returns how many operations it made. */
    private interface Round {
        int run();
    }

    private static Round loop(SimKernel k, String c) {
        Cpu cpu = k.cpu(0);
        switch (c) {
            case "hitNone", "hitPre" -> {
                KFunction f = k.function("vfs_read");
                if (c.equals("hitPre")) {
                    Kprobe p = new Kprobe("vfs_read");
                    p.pre_handler = (kp, regs) -> 0;
                    Kernels.check(k.register_kprobe(p) == 0, "register_kprobe(vfs_read)");
                }
                cpu.acquire(k.newTask("bench", false));
                return () -> {
                    long x = 0;
                    for (int i = 0; i < CALLS; i++) {
                        x += cpu.call(f, 3, 0x1000, 10, 0);
                    }
                    sink += x;
                    return CALLS;
                };
            }
            case "kretNone", "kret", "kret2" -> {
                KFunction f = k.function("rw_verify_area");
                if (!c.equals("kretNone")) {
                    Kretprobe rp = new Kretprobe("rw_verify_area");
                    rp.entry_handler = (ri, regs) -> 0;
                    rp.handler = (ri, regs) -> 0;
                    Kernels.check(k.register_kretprobe(rp) == 0, "register_kretprobe(rw_verify_area)");
                }
                if (c.equals("kret2")) {
                    startSecondCpu(k, f);
                }
                cpu.acquire(k.newTask("bench", false));
                return () -> {
                    long x = 0;
                    for (int i = 0; i < CALLS; i++) {
                        x += cpu.call(f, 0, 0, 0, 8);
                    }
                    sink += x;
                    return CALLS;
                };
            }
            case "printk" -> {
                binding = KernelBinding.bind(k);
                cpu.acquire(k.newTask("insmod", false));
                long addr = k.function("kernel_clone").address();
                long ip = addr + 1;
                int lines = CALLS / 10;
                return () -> {
                    long x = 0;
                    for (int i = 0; i < lines; i++) {
                        x += pr_info("handler_pre: <%s> p->addr = 0x%p, ip = %lx, flags = 0x%lx\n", "kernel_clone",
                                addr, ip, 0x246L);
                    }
                    sink += x;
                    return lines;
                };
            }
            default -> throw new IllegalArgumentException("unknown case " + c + " (" + CASES + ")");
        }
    }

    private static void tearDown(SimKernel k) {
        stop = true;
        if (second != null) {
            try {
                second.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            second = null;
        }
        stop = false;
        if (k.cpu(0).isOwnedByCurrentThread()) {
            k.cpu(0).release();
        }
        if (binding != null) {
            binding.close();
            binding = null;
        }
        k.close();
    }

    /** Runs calls of f on CPU 1 in a second thread until the case ends. */
    private static void startSecondCpu(SimKernel k, KFunction f) {
        Cpu cpu1 = k.cpu(1);
        second = new Thread(() -> {
            cpu1.acquire(k.newTask("bench1", false));
            long x = 0;
            while (!stop) {
                x += cpu1.call(f, 0, 0, 0, 8);
            }
            cpu1.release();
            sink += x;
        }, "cpu1");
        second.setDaemon(true);
        second.start();
    }

    private static void measure(String c, Round round) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] ns = new double[ROUNDS];
        for (int r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
            long t0 = mx.getCurrentThreadCpuTime();
            int ops = round.run();
            long t1 = mx.getCurrentThreadCpuTime();
            if (r >= WARMUP_ROUNDS) {
                ns[r - WARMUP_ROUNDS] = (t1 - t0) / (double) ops;
            }
        }
        Arrays.sort(ns);
        System.out.printf("%-8s CPU time per op: min %.2f  p25 %.2f  median %.2f ns%n", c, ns[0], ns[ROUNDS / 4],
                ns[ROUNDS / 2]);
    }
}
