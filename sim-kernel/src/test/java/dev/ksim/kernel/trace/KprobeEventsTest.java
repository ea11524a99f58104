package dev.ksim.kernel.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import org.junit.jupiter.api.Test;

class KprobeEventsTest extends TracefsTestSupport {

    @Test
    void probeDefinedEnabledAndTraced() {
        boot(Arch.X86_64);
        assertEquals(0, echo("p:myprobe do_sys_openat2 dfd=%di:s32 filename=+0(%si):string", "kprobe_events"));
        assertEquals("p:kprobes/myprobe do_sys_openat2 dfd=%di:s32 filename=+0(%si):string\n", cat("kprobe_events"));
        assertEquals(0, echo("1", "events/kprobes/myprobe/enable"));
        openClose("/etc/passwd");
        String trace = cat("trace");
        System.out.println(trace);
        System.out.println(cat("/sys/kernel/debug/kprobes/list"));
        System.out.println(cat("kprobe_profile"));
        System.out.println(cat("events/kprobes/myprobe/format"));
        assertTrue(trace.contains("myprobe: (do_sys_openat2+0x0/"), trace);
    }
}
