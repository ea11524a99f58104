package dev.ksim.kernel.kprobes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelTestSupport;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.Task;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.sdk.Kprobe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Probes under real parallelism: simulated CPUs on real threads. */
class ConcurrencyTest extends KernelTestSupport {
    private final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();


    /** Runs {@code loop} on CPUs 1..n-1, each on its own thread, until {@code stop}; one kernel entry per call. */
    private List<Thread> workers(int n, AtomicBoolean stop, CountDownLatch started, Runnable work) {
        List<Thread> threads = new ArrayList<>();
        for (int c = 1; c < n; c++) {
            int cpu = c;
            Task task = k.newTask("worker" + c, false);
            Thread t = new Thread(() -> {
                started.countDown();
                try {
                    while (!stop.get()) {
                        k.onCpu(cpu, task, () -> {
                            for (int i = 0; i < 100; i++) {
                                work.run();
                            }
                            return null;
                        });
                    }
                } catch (RuntimeException | Error e) {
                    failures.add(e);
                }
            }, "cpu" + c);
            t.start();
            threads.add(t);
        }
        return threads;
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void noHandlerRunsAfterUnregisterReturns(Arch arch) throws Exception {
        boot(BootOptions.defaults().withArch(arch).withCpus(4));
        KFunction f = k.function("rw_verify_area");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean unregistered = new AtomicBoolean();
        AtomicLong late = new AtomicLong();
        AtomicLong hits = new AtomicLong();
        CountDownLatch started = new CountDownLatch(3);
        List<Thread> threads = workers(4, stop, started, () -> Cpu.current().call(f, 0, 0, 0, 0));
        started.await();
        for (int round = 0; round < 200; round++) {
            Kprobe p = new Kprobe("rw_verify_area");
            p.pre_handler = (kp, regs) -> {
                hits.incrementAndGet();
                Thread.onSpinWait();
                if (unregistered.get()) {
                    late.incrementAndGet();
                }
                return 0;
            };
            p.post_handler = (kp, regs, flags) -> {
                if (unregistered.get()) {
                    late.incrementAndGet();
                }
            };
            unregistered.set(false);
            assertEquals(0, k.register_kprobe(p));
            long before = hits.get();
            long until = System.nanoTime() + 2_000_000_000L;
            while (hits.get() == before && System.nanoTime() < until) {
                Thread.onSpinWait(); // unregister while the workers are hitting it
            }
            k.unregister_kprobe(p);
            unregistered.set(true);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
        assertTrue(hits.get() > 0, "the workers hit the probe");
        assertEquals(0, late.get(), "a handler ran after unregister_kprobe returned");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void nmissedCountsEveryRecursiveHitOnEveryCpu(Arch arch) throws Exception {
        boot(BootOptions.defaults().withArch(arch).withCpus(4));
        KFunction outerFn = k.function("fd_install");
        KFunction innerFn = k.function("fput");
        AtomicLong outerHits = new AtomicLong();
        AtomicLong innerRuns = new AtomicLong();
        Kprobe inner = new Kprobe("fput");
        inner.pre_handler = (kp, regs) -> {
            innerRuns.incrementAndGet();
            return 0;
        };
        Kprobe outer = new Kprobe("fd_install");
        outer.pre_handler = (kp, regs) -> {
            outerHits.incrementAndGet();
            Cpu.current().call(innerFn, 0, 0);
            return 0;
        };
        outer.post_handler = (kp, regs, flags) -> Cpu.current().call(innerFn, 0, 0);
        assertEquals(0, k.register_kprobes(new Kprobe[] {inner, outer}, 2));
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(3);
        outerFn.bind(cpu -> 0);
        List<Thread> threads = workers(4, stop, started, () -> Cpu.current().call(outerFn, 0, 0, 0, 0));
        started.await();
        Thread.sleep(300);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        k.unregister_kprobes(new Kprobe[] {inner, outer}, 2);
        assertEquals(List.of(), failures);
        assertTrue(outerHits.get() > 1000, "hits: " + outerHits.get());
        assertEquals(0, innerRuns.get(), "inner handlers never run inside a handler");
        assertEquals(2 * outerHits.get(), inner.nmissed, "one miss per recursive hit, none lost across CPUs");
    }
}
