package dev.ksim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** tracefs from the ksim shell: the uprobe walk-through, readelf, trace_pipe with timeout and on a booted kernel. */
@Tag("integration")
class TracingIT extends CliTestSupport {

    @Test
    void theUprobeExampleScriptReproducesTheWalkThrough() {
        Run r = ksim("run", HOME.resolve("examples/uprobe.ksim").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\nSymbol table '.symtab' contains 37 entries:\n"
                + "   Num:    Value          Size Type    Bind   Vis      Ndx Name\n"), r.out());
        assertTrue(r.out().contains("\n    28: 0000000000001149    26 FUNC    GLOBAL DEFAULT   16 foo\n"), r.out());
        assertTrue(r.out().contains("foo() called\nfoo() called\n# tracer: nop\n#\n"
                + "# entries-in-buffer/entries-written: 2/2   #P:4\n"), r.out());
        Pattern line = Pattern.compile("\n {12}test-\\d+ +\\[00\\d\\] \\.{5} +\\d+\\.\\d{6}: p_test_0x1149: "
                + "\\(0x[56][0-9a-f]{8}149\\)");
        assertEquals(2, line.matcher(r.out()).results().count(), r.out());
        assertTrue(r.out().matches("(?s).*: p_test_0x1149: \\(0x[0-9a-f]+\\)\n"),
                "nothing after the trace: the probe is gone");
        assertTrue(r.err().contains("+ echo >/sys/kernel/debug/tracing/uprobe_events\n"
                + "+ cat /sys/kernel/debug/tracing/uprobe_events\n"), r.err());
    }

    @Test
    void readelfErrorsAreBinutils() {
        Run r = script("set +e\nreadelf -s /etc/passwd\nreadelf -s /nosuch\n");
        assertEquals(new Run(1, "", "readelf: Error: Not an ELF file - it has the wrong magic bytes at the start\n"
                + "readelf: Error: '/nosuch': No such file\n"), r);
    }

    @Test
    void tracePipeBlocksUntilEventsArriveAndTimeoutEndsIt() {
        Run r = script("""
                echo 'p:o do_sys_openat2 name=+0(%si):string' > /sys/kernel/tracing/kprobe_events
                echo 1 > /sys/kernel/tracing/events/kprobes/o/enable
                timeout 3 cat /sys/kernel/tracing/trace_pipe > /tmp/pipe &
                sleep 1
                cat /etc/hostname
                wait
                echo 0 > /sys/kernel/tracing/events/kprobes/o/enable
                cat /tmp/pipe
                """);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("ksim\n"), r.out());
        assertTrue(r.out().contains(" o: (do_sys_openat2+0x0/0x60) name=\"/etc/hostname\"\n"), r.out());
        assertEquals(new Run(124, "", ""), script("timeout 0.2 cat /sys/kernel/tracing/trace_pipe\necho not reached\n"));
        assertEquals(new Run(125, "", "timeout: invalid time interval 'x'\nTry 'timeout --help' for more information.\n"),
                script("timeout x cat /etc/hostname\n"));
    }

    @Test
    void tracePipeOnABootedKernelFollowsUntilInterrupted() throws Exception {
        assertEquals(0, ksim("boot", "--cpus", "2").status());
        try {
            assertEquals(new Run(0, "", ""), ksim("echo", "p /root/test:0x1149", ">",
                    "/sys/kernel/tracing/uprobe_events"));
            assertEquals(new Run(0, "", ""), ksim("echo", "1", ">", "/sys/kernel/tracing/events/uprobes/enable"));
            AtomicReference<Run> pipe = new AtomicReference<>();
            Thread reader = new Thread(() -> pipe.set(ksim("timeout", "5", "cat", "/sys/kernel/tracing/trace_pipe")));
            reader.start();
            assertEquals(new Run(0, "foo() called\n", ""), ksim("/root/test"));
            reader.join(10_000);
            assertEquals(124, pipe.get().status(), pipe.get().toString());
            assertTrue(pipe.get().out().matches(" +test-\\d+ +\\[\\d{3}\\] \\.{5} +\\d+\\.\\d{6}: p_test_0x1149: "
                    + "\\(0x[0-9a-f]+\\)\n"), pipe.get().out());
        } finally {
            ksim("halt");
        }
    }
}
