package dev.ksim.samples.mistakes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.proc.Process;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** maxactive = 1 under four concurrent sleepers: one call is tracked, the other three are missed. */
class SmallMaxactiveTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void overlappingCallsFindNoFreeInstance(Arch arch) {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withArch(arch).withCpus(4).deterministic(42))) {
            List<SimKernel.Job> jobs = new ArrayList<>();
            for (int cpu = 0; cpu < 4; cpu++) {
                Process p = k.spawn("/bin/sh");
                p.sched_setaffinity(cpu);
                jobs.add(new SimKernel.Job(p, me -> me.nanosleep(1_000_000)));
            }
            SmallMaxactive m = new SmallMaxactive();
            assertEquals(0, k.run(m::init));
            k.runConcurrently(jobs);
            k.run(m::exit);
            List<String> lines = k.log().messages().lines().toList();
            List<String> returns = lines.stream().filter(l -> l.contains(": hrtimer_nanosleep returned ")).toList();
            assertEquals(1, returns.size(), lines::toString);
            assertTrue(returns.get(0).matches("sh/\\d+: hrtimer_nanosleep returned 0"), returns::toString);
            assertEquals("Missed probing 3 instances of hrtimer_nanosleep", lines.get(lines.size() - 1));
            assertEquals(3, m.my_kretprobe.nmissed);
        }
    }
}
