package dev.ksim.samples.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.sdk.Errno;
import dev.ksim.test.KsimTest;
import dev.ksim.test.TestKernel;
import org.junit.jupiter.api.Test;

/** funclatency times real calls and prints bcc's histogram in /proc and at rmmod. */
@KsimTest
class FunclatencyTest {

    @Test
    void histogramsTheCallsOfTheFunctionParameter(TestKernel k) {
        k.insmod(Funclatency.class, "func=vfs_read");
        k.dmesg().containsLine("Tracing 1 functions for \"vfs_read\"... rmmod funclatency to end.");
        for (int i = 0; i < 5; i++) {
            k.spawn("/bin/cat").cat("/etc/hostname");
        }
        String hist = k.read("/proc/funclatency");
        assertTrue(hist.startsWith("     nsecs               : count     distribution\n"), hist);
        assertTrue(hist.matches("(?s).*\\n\\navg = \\d+ nsecs, total: \\d+ nsecs, count: 10\\n"), hist);
        long counted = hist.lines().filter(l -> l.contains(" -> ")).mapToLong(
                l -> Long.parseLong(l.split(":")[1].trim().split("\\s+")[0])).sum();
        assertEquals(10, counted, "two reads per cat (data, then EOF): " + hist);
        assertEquals(10, k.probe("vfs_read").hits());

        k.module("funclatency").rmmod();
        k.dmesg().containsInOrder("     nsecs               : count     distribution",
                " +\\d+ -> \\d+ +: \\d+ +\\|\\*+ *\\|", "avg = \\d+ nsecs, total: \\d+ nsecs, count: 10",
                "Detaching\\.\\.\\. \\(missed 0 calls\\)");
    }

    @Test
    void anUnknownFunctionFailsTheLoad(TestKernel k) {
        assertEquals(-Errno.ENOENT, k.tryInsmod(Funclatency.class, "func=no_such_fn"));
        k.dmesg().containsLine("funclatency: register_kretprobe on no_such_fn failed, returned -2");
    }
}
