package dev.ksim.samples.mistakes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.test.ProbeState;
import dev.ksim.test.TestKernel;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * maxactive = 1 under four concurrent sleepers: only calls that find the one instance free are tracked, the
 * others are missed; on a deterministic kernel the same seed gives the same split and the same dmesg.
 */
class SmallMaxactiveTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void overlappingCallsFindNoFreeInstance(Arch arch) {
        String first = run(arch, 42);
        assertEquals(first, run(arch, 42), "the same seed, the same interleaving and the same dmesg");
    }

    private static String run(Arch arch, long seed) {
        try (TestKernel k = TestKernel.boot(BootOptions.defaults().withArch(arch).withCpus(4).deterministic(seed))) {
            k.insmod(SmallMaxactive.class);
            k.concurrently(4, me -> me.nanosleep(1_000_000));
            ProbeState rp = k.probe("hrtimer_nanosleep");
            assertTrue(rp.nmissed() > 0, "four sleepers overlap: " + rp);
            assertEquals(rp.nmissed(), rp.noInstance(), "every miss for want of a free instance");
            k.module("small_maxactive").rmmod();

            List<String> lines = k.dmesg().lines();
            List<String> returns = lines.stream().filter(l -> l.contains(": hrtimer_nanosleep returned ")).toList();
            assertEquals(4, returns.size() + rp.nmissed(), "each call is either tracked or missed: " + lines);
            returns.forEach(r -> assertTrue(r.matches("sh/\\d+: hrtimer_nanosleep returned 0"), r));
            assertEquals("Missed probing " + rp.nmissed() + " instances of hrtimer_nanosleep",
                    lines.get(lines.size() - 1));
            return k.dmesgText();
        }
    }
}
