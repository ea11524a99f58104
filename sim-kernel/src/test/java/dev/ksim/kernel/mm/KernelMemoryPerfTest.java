package dev.ksim.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A coarse guard against accidental slowness on the hot path (boxing, hashing, locking): an aligned
 * {@code u32} load must stay far below a microsecond even under a C1-only test JVM on a busy machine.
 * The goal is tens of nanoseconds; the bound is loose so the test does not flake.
 */
class KernelMemoryPerfTest {
    @Test
    void alignedLoadsAreCheap() {
        KernelMemory mem = new KernelMemory(VirtualAddressLayout.X86_64);
        for (int i = 0; i < 16; i++) {
            mem.map("r" + i, 0xffff_c900_0000_0000L + i * 0x100_0000L, 0x10_0000, Prot.RW);
        }
        long base = 0xffff_c900_0000_0000L + 7 * 0x100_0000L;
        for (int i = 0; i < 4096; i += 4) {
            mem.write32(base + i, i);
        }
        long sink = 0;
        for (int round = 0; round < 5; round++) {
            sink += loop(mem, base, 1_000_000);
        }
        int n = 4_000_000;
        long t0 = System.nanoTime();
        sink += loop(mem, base, n);
        double ns = (System.nanoTime() - t0) / (double) n;
        System.out.printf("KernelMemory.read32: %.1f ns/load (sink %d)%n", ns, sink);
        assertTrue(ns < 500, "read32 took " + ns + " ns");
    }

    private static long loop(KernelMemory mem, long base, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += mem.read32(base + ((i * 4L) & 4095));
        }
        return s;
    }
}
