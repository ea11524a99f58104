package dev.ksim.kernel.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** uprobe_events: probes on a file's offsets that fire in every process running the file. */
class UprobeEventsTest extends TracefsTestSupport {
    private final StringBuilder stdout = new StringBuilder();
    private final List<Integer> pids = new ArrayList<>();

    /** The shell forks, the child execs the program and runs its main, exits, and is reaped. */
    private void run(String path) {
        Process shell = shell();
        long pid = shell.fork();
        Process child = k.syscalls().byPid((int) pid);
        assertEquals(0, child.execve(path, List.of(path), List.of()));
        pids.add(child.pid());
        int status = k.userRuntime().runMain(child, path, stdout::append, null);
        child.exit(status);
        shell.wait4((int) pid);
    }

    @Test
    void theUprobetracerWalkThrough() {
        boot(Arch.X86_64);
        String t = "/sys/kernel/debug/tracing/";
        assertEquals(0, echo("p /root/test:0x1149", t + "uprobe_events"));
        assertEquals("p:uprobes/p_test_0x1149 /root/test:0x0000000000001149\n", cat(t + "uprobe_events"));
        assertEquals(0, echo("1", t + "events/uprobes/p_test_0x1149/enable"));
        assertEquals(0, echo("1", t + "tracing_on"));
        run("/root/test");
        run("/root/test");
        assertEquals("foo() called\nfoo() called\n", stdout.toString());
        String trace = cat(t + "trace");
        assertTrue(trace.contains("# entries-in-buffer/entries-written: 2/2   #P:2\n"), trace);
        Pattern p = Pattern.compile("^ +test-(\\d+) +\\[\\d{3}\\] \\.{5} +\\d+\\.\\d{6}: p_test_0x1149: \\(0x([0-9a-f]+)\\)$",
                Pattern.MULTILINE);
        Matcher m = p.matcher(trace);
        List<Long> addrs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            assertTrue(m.find(), trace);
            assertEquals(pids.get(i), Integer.valueOf(m.group(1)));
            addrs.add(Long.parseUnsignedLong(m.group(2), 16));
        }
        for (long a : addrs) {
            assertEquals(0x149, a & 0xfff, "the page offset of foo");
            assertTrue(a >= 0x555555554000L + 0x1149 && a < 0x555555554000L + (1L << 40) + 0x1149, Long.toHexString(a));
        }
        assertNotEquals(addrs.get(0), addrs.get(1), "each process maps the program at its own random base");
        assertEquals("  /root/test p_test_0x1149                                              2\n",
                cat(t + "uprobe_profile"));
        assertEquals(0, echo("0", t + "tracing_on"));
        assertEquals(0, echo("0", t + "events/uprobes/p_test_0x1149/enable"));
        assertEquals(0, echo("", t + "uprobe_events"));
        assertEquals("", cat(t + "uprobe_events"));
        run("/root/test");
        assertEquals(2, events().size());
    }

    @Test
    void returnProbesFetchArgumentsAndTheCommandsMain() {
        boot(Arch.X86_64);
        assertEquals(0, echo("r:uprobes/foo_ret /root/test:0x1149 rv=$retval", "uprobe_events"));
        assertEquals(0, append("p:uprobes/puts /root/test:0x115b msg=+0(%di):string first=@+0x2004:u8 "
                + "ret=+8($stack):x64", "uprobe_events"));
        assertEquals(0, append("p:uprobes/catmain /bin/cat:0x1163", "uprobe_events"));
        assertEquals(0, echo("1", "events/uprobes/enable"));
        run("/root/test");
        run("/bin/cat");
        List<String> ev = events();
        assertEquals(3, ev.size(), ev.toString());
        Matcher puts = Pattern.compile("puts: \\(0x([0-9a-f]+)\\) msg=\"foo\\(\\) called\" first=102 ret=0x([0-9a-f]+)")
                .matcher(ev.get(0));
        assertTrue(puts.matches(), ev.get(0));
        long base = Long.parseUnsignedLong(puts.group(1), 16) - 0x115b;
        assertEquals(base + 0x1175, Long.parseUnsignedLong(puts.group(2), 16), "above the saved %rbp, the stack holds main's return address");
        assertEquals(String.format("foo_ret: (0x%x <- 0x%x) rv=0x1", base + 0x1175, base + 0x1149), ev.get(1));
        assertTrue(ev.get(2).matches("catmain: \\(0x[0-9a-f]+163\\)"), "probes follow system commands too");
        assertEquals("r:uprobes/foo_ret /root/test:0x0000000000001149 rv=$retval\n"
                + "p:uprobes/puts /root/test:0x000000000000115b msg=+0(%di):string first=@+0x2004:u8 "
                + "ret=+8($stack):x64\np:uprobes/catmain /bin/cat:0x0000000000001163\n", cat("uprobe_events"));
        assertEquals(cat("uprobe_events"), cat("dynamic_events"));
    }

    @Test
    void enablingAProbePastTheEndOfTheFileFails() {
        boot(Arch.X86_64);
        assertEquals(0, echo("p:far /root/test:0x100000", "uprobe_events"));
        assertEquals(-Errno.EINVAL, echo("1", "events/uprobes/far/enable"));
        assertEquals("0\n", cat("events/uprobes/far/enable"));
    }

    @Test
    void dynamicEventsTakesBothKindsAndRemovesEither() {
        boot(Arch.X86_64);
        assertEquals(0, echo("p:k do_sys_openat2\np:u /root/test:0x1149(0x4010)", "dynamic_events"));
        assertEquals("p:kprobes/k do_sys_openat2\n", cat("kprobe_events"));
        assertEquals("p:uprobes/u /root/test:0x0000000000001149(0x4010)\n", cat("uprobe_events"));
        assertEquals(0, append("-:uprobes/u", "dynamic_events"));
        assertEquals(-Errno.ENOENT, append("-:k", "uprobe_events"), "uprobe_events removes only uprobes");
        assertEquals("p:kprobes/k do_sys_openat2\n", cat("dynamic_events"));
    }
}
