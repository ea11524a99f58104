package dev.ksim.samples.kprobes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.proc.Process;
import dev.ksim.test.ProbeState;
import dev.ksim.test.TestKernel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kretprobe_example under load on a deterministic kernel: four processes fork at once on four CPUs while the
 * kretprobe has a single instance, so calls are missed. The seeded scheduler makes the run reproducible: the
 * same seed gives the same kernel log, byte for byte (timestamps, return values, durations, misses).
 */
@Tag("integration")
class KretprobeExampleLoadIT {
    private static final int CPUS = 4;
    private static final int FORKS_EACH = 6;

    @Test
    void theSameSeedGivesTheSameDmesgByteForByte() {
        Run first = run(42);
        Run second = run(42);
        assertEquals(first.dmesg, second.dmesg);
        assertEquals(first.probe, second.probe);
        assertTrue(first.probe.noInstance() > 0, "one instance for four CPUs misses calls: " + first.probe);
        assertTrue(first.dmesg.contains("Missed probing " + first.probe.noInstance() + " instances of kernel_clone"),
                first.dmesg);
        assertEquals(CPUS + CPUS * FORKS_EACH, first.probe.hits(), "the shell forks the workers, they fork");
    }

    @Test
    void anotherSeedInterleavesDifferently() {
        assertNotEquals(run(42).dmesg, run(7).dmesg);
    }

    private record Run(String dmesg, ProbeState probe) {
    }

    private static Run run(long seed) {
        try (TestKernel k = TestKernel.boot(BootOptions.defaults().withCpus(CPUS).deterministic(seed))) {
            k.shell();
            KretprobeExample m = new KretprobeExample();
            m.my_kretprobe.maxactive = 1;
            assertEquals(0, k.start(m));
            k.concurrently(CPUS, p -> {
                for (int i = 0; i < FORKS_EACH; i++) {
                    long pid = p.fork();
                    Process child = k.kernel().syscalls().byPid((int) pid);
                    child.sched_setaffinity(p.cpu()); // one thread per CPU: the child exits on its parent's
                    child.exit(0);
                    p.wait4((int) pid);
                }
            });
            ProbeState probe = k.probe("kernel_clone");
            k.stop(m);
            return new Run(k.dmesgText(), probe);
        }
    }
}
