package dev.ksim.samples.hids;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.sdk.Errno;
import dev.ksim.test.KsimTest;
import dev.ksim.test.TestKernel;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The execve monitor loaded as insmod loads it; a reader drains its ring through /proc. */
@KsimTest
class ExecveMonitorTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void eachExecIsAnEventTheReaderDrains(Arch arch) {
        try (TestKernel k = TestKernel.boot(BootOptions.defaults().withArch(arch))) {
            int sh = k.shell().pid();
            k.insmod(ExecveMonitor.class);
            long ls = k.exec("/bin/ls", "-l", "/tmp");
            long missing = k.exec("/bin/nope", "x");
            assertEquals(-Errno.ENOENT, missing);

            String events = k.read("/proc/execve_monitor");
            List<String> lines = events.lines().toList();
            assertEquals(2, lines.size(), events);
            assertEquals("pid=" + ls + " ppid=" + sh + " uid=0 comm=ls ret=0 filename=/bin/ls argv=ls -l /tmp",
                    lines.get(0));
            assertTrue(lines.get(1).matches("pid=\\d+ ppid=" + sh + " uid=0 comm=sh ret=-2 filename=/bin/nope "
                    + "argv=nope x"), lines.get(1));
            assertEquals("", k.read("/proc/execve_monitor"), "reading drains the ring");
            assertEquals("events 2\ndropped 0\nmissed 0\n", k.read("/proc/execve_monitor_stats"));
        }
    }

    @Test
    void aFullRingDropsAndCounts(TestKernel k) {
        k.shell();
        k.insmod(ExecveMonitor.class, "ring_size=2");
        for (int i = 0; i < 5; i++) {
            k.exec("/usr/bin/true", String.valueOf(i));
        }
        assertEquals("argv=true 0\nargv=true 1\n", k.read("/proc/execve_monitor").replaceAll("(?m)^.* argv=", "argv="),
                "the ring keeps the oldest");
        assertEquals("events 5\ndropped 3\nmissed 0\n", k.read("/proc/execve_monitor_stats"));
        k.module("execve_monitor").rmmod();
        k.dmesg().containsLine("execve_monitor: 5 events, 3 dropped, 0 missed");
        k.dmesg().doesNotContainLineMatching(".*still registered.*");
    }

    @Test
    void theProcFilesGoWithTheModule(TestKernel k) {
        k.insmod(ExecveMonitor.class).rmmod();
        assertEquals(null, k.kernel().vfs().lookup("/proc/execve_monitor"));
        assertEquals(-Errno.EINVAL, k.tryInsmod(ExecveMonitor.class, "ring_size=0"));
        k.dmesg().containsLine("execve_monitor: ring_size must be at least 1, got 0");
    }
}
