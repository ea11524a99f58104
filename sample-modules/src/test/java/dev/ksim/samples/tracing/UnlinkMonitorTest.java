package dev.ksim.samples.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Errno;
import dev.ksim.test.KsimTest;
import dev.ksim.test.TestKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The unlink monitor loaded as insmod loads it, watching rm. */
@KsimTest
class UnlinkMonitorTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void printsPidFilenameAndReturnValueOfEachUnlink(Arch arch) {
        try (TestKernel k = TestKernel.boot(BootOptions.defaults().withArch(arch))) {
            k.insmod(UnlinkMonitor.class);
            k.exec(p -> p.close((int) p.open("/tmp/victim", Process.O_CREAT | Process.O_WRONLY, 0644)), "/bin/touch",
                    "/tmp/victim");
            long ok = k.exec(p -> p.unlink("/tmp/victim"), "/bin/rm", "/tmp/victim");
            long missing = k.exec(p -> p.unlink("/tmp/victim"), "/bin/rm", "/tmp/victim");
            k.module("unlink_monitor").rmmod();

            k.dmesg().containsInOrder(
                    "unlink_monitor: watching do_unlinkat",
                    "KPROBE ENTRY pid = " + ok + ", filename = /tmp/victim",
                    "KPROBE EXIT: pid = " + ok + ", ret = 0",
                    "KPROBE ENTRY pid = " + missing + ", filename = /tmp/victim",
                    "KPROBE EXIT: pid = " + missing + ", ret = " + -Errno.ENOENT,
                    "unlink_monitor: missed 0 calls");
            assertEquals(0, k.probes().size());
        }
    }

    @Test
    void bothProbesSitOnDoUnlinkat(TestKernel k) {
        k.insmod(UnlinkMonitor.class);
        assertEquals("[k, r]", k.probes().stream().map(p -> String.valueOf(p.type())).sorted().toList().toString());
        k.exec(p -> p.unlink("/tmp/none"), "/bin/rm", "/tmp/none");
        k.probes().forEach(p -> assertEquals(1, p.hits(), p::toString));
    }
}
