package dev.ksim.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.Printk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Deterministic mode: the same seed gives the same interleaving, misses and log, byte for byte. */
class DeterministicModeTest {

    /** One run: 4 processes on 4 CPUs open files through a kretprobe with maxactive = 1. */
    private static String run(Arch arch, long seed) {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withArch(arch).withCpus(4).deterministic(seed))) {
            List<Process> procs = new ArrayList<>();
            for (int cpu = 0; cpu < 4; cpu++) {
                Process p = k.spawn("/bin/sh");
                p.sched_setaffinity(cpu);
                procs.add(p);
            }
            AtomicInteger returns = new AtomicInteger();
            Kretprobe rp = new Kretprobe("do_filp_open");
            rp.maxactive = 1;
            rp.handler = (ri, regs) -> {
                returns.incrementAndGet();
                Printk.pr_info("do_filp_open returned on %s/%d\n", ri.task.comm(), ri.task.pid());
                return 0;
            };
            Kprobe tick = new Kprobe("scheduler_tick");
            AtomicInteger ticks = new AtomicInteger();
            tick.pre_handler = (kp, regs) -> ticks.incrementAndGet() * 0;
            assertEquals(0, k.register_kretprobe(rp));
            assertEquals(0, k.register_kprobe(tick));
            List<SimKernel.Job> jobs = new ArrayList<>();
            for (Process p : procs) {
                jobs.add(new SimKernel.Job(p, me -> {
                    for (int i = 0; i < 40; i++) {
                        long fd = me.open("/etc/passwd", Process.O_RDONLY, 0);
                        assertTrue(fd >= 3, me + " open #" + i + " returned " + fd);
                        assertEquals(0, me.close((int) fd));
                        if (i % 10 == 9) {
                            me.nanosleep(2_000_000);
                        }
                    }
                }));
            }
            k.runConcurrently(jobs);
            assertEquals(160, returns.get() + rp.nmissed, "every call is either tracked or missed: kp.nmissed="
                    + rp.kp.nmissed + " recursion=" + k.kprobes().missStats(rp.kp).recursion() + " log=" + k.dmesg());
            assertTrue(ticks.get() > 0, "timer interrupts ran kernel code in IRQ context");
            return "nmissed=" + rp.nmissed + " ticks=" + ticks.get() + "\n" + k.dmesg();
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void theSameSeedReproducesMissesAndLogByteForByte(Arch arch) {
        String first = run(arch, 42);
        assertTrue(!first.startsWith("nmissed=0 "), "with maxactive = 1 and 4 CPUs some calls overlap: " + first.lines()
                .findFirst().orElse(""));
        for (int i = 0; i < 3; i++) {
            assertEquals(first, run(arch, 42));
        }
        Set<String> others = new HashSet<>();
        for (long seed = 1; seed <= 4; seed++) {
            others.add(run(arch, seed).lines().findFirst().orElse(""));
        }
        others.add(first.lines().findFirst().orElse(""));
        assertTrue(others.size() > 1, "other seeds give other interleavings: " + others);
    }
}
