package dev.ksim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code ksim boot}: a kernel in a background process that one-shot commands reach over its socket. */
@Tag("integration")
class BootIT extends CliTestSupport {
    @AfterEach
    void halt() {
        ksim("halt");
    }

    @Test
    void commandsWithoutABootedKernelSaySo() {
        assertEquals(new Run(1, "", "lsmod: ERROR: no kernel is running (start one with: ksim boot)\n"), ksim("lsmod"));
        assertEquals(new Run(1, "", "halt: ERROR: no kernel is running (start one with: ksim boot)\n"), ksim("halt"));
    }

    @Test
    void oneShotCommandsActOnTheBootedKernel() throws Exception {
        Run boot = ksim("boot", "--cpus", "2");
        assertEquals(0, boot.status(), boot.err());
        assertTrue(boot.out().startsWith("ksim: booted Linux 6.8.0-ksim x86_64 with 2 CPUs in the background (pid "),
                boot.out());
        Run again = ksim("boot");
        assertEquals(1, again.status());
        assertTrue(again.err().startsWith("ksim: a kernel is already running (pid "), again.err());

        AtomicReference<Run> follow = new AtomicReference<>();
        Thread t = new Thread(() -> follow.set(ksim("dmesg", "-w", "-t", "-l", "info")));
        t.start();
        assertEquals(new Run(0, "", ""), ksim("insmod", "hello.java", "symbol=do_sys_openat2"));
        assertEquals(new Run(0, "Module                  Size  Used by\nhello                   4096  0\n", ""),
                ksim("lsmod"));
        assertEquals(new Run(0, "", ""), ksim("echo", "abc", ">", "/tmp/x"));
        assertEquals(new Run(0, "abc\n", ""), ksim("cat", "/tmp/x"));
        assertEquals(new Run(1, "", "insmod: ERROR: could not insert module hello.java: File exists\n"),
                ksim("insmod", "hello.java"));
        assertEquals(new Run(2, "", "rmmod: ERROR: missing module name.\n"), ksim("rmmod"));
        assertEquals(new Run(0, "", ""), ksim("rmmod", "hello"));
        assertEquals(new Run(0, "", ""), ksim("halt"));
        t.join(10_000);
        assertTrue(follow.get().out().startsWith("hello: planted on do_sys_openat2\nhello: do_sys_openat2 called\n"),
                follow.get().out());
        assertEquals(new Run(1, "", "lsmod: ERROR: no kernel is running (start one with: ksim boot)\n"), ksim("lsmod"));
    }

    @Test
    void anUnknownProfileIsAUsageError() {
        Run r = ksim("boot", "--kernel", "3.10");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("ksim boot: unknown kernel profile '3.10' (4.14, 5.10 or 6.8)\n"), r.err());
    }
}
