package dev.ksim.kernel.cpu;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ksim.kernel.Arch;
import dev.ksim.sdk.Kprobe;
import org.junit.jupiter.api.Test;

class CpuCurrentKprobeTest {
    private final Cpu cpu = new Cpu(0, Arch.X86_64, null);
    private final Kprobe a = new Kprobe();
    private final Kprobe b = new Kprobe();
    private final Kprobe c = new Kprobe();

    @Test
    void noProbeIsCurrentOnANewCpu() {
        assertNull(cpu.currentKprobe());
    }

    @Test
    void theProbeSetLastIsCurrentWhateverWasRecentBefore() {
        Kprobe[] sequence = {a, b, a, c, b, null, c, c, a, null, b, a};
        for (Kprobe p : sequence) {
            cpu.setCurrentKprobe(p);
            assertSame(p, cpu.currentKprobe());
        }
    }

    @Test
    void forgettingAProbeThatIsNotCurrentKeepsTheCurrentOne() {
        cpu.setCurrentKprobe(a);
        cpu.setCurrentKprobe(b);
        cpu.forgetKprobe(a);
        assertSame(b, cpu.currentKprobe());
        cpu.setCurrentKprobe(null);
        cpu.forgetKprobe(b);
        assertNull(cpu.currentKprobe());
        cpu.setCurrentKprobe(a);
        assertSame(a, cpu.currentKprobe());
        cpu.setCurrentKprobe(b);
        assertSame(b, cpu.currentKprobe());
    }
}
