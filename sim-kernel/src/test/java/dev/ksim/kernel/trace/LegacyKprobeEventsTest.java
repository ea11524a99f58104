package dev.ksim.kernel.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelProfile;
import dev.ksim.sdk.Errno;
import org.junit.jupiter.api.Test;

/** 4.14's kprobe_events: the older grammar, and its messages in the kernel log (there is no error_log). */
class LegacyKprobeEventsTest extends TracefsTestSupport {
    private static final String K = "/sys/kernel/debug/tracing/kprobe_events";

    private void boot414() {
        boot(BootOptions.defaults().withProfile(KernelProfile.V4_14).withCpus(2));
    }

    private void rejected(String command, int errno, String message) {
        assertEquals(errno, append(command, K), command);
        assertTrue(k.dmesg().contains("trace_kprobe: " + message + "\n"), k.dmesg());
    }

    @Test
    void everyMessageOfCreateTraceKprobe() {
        boot414();
        assertNull(k.vfs().lookup("/sys/kernel/debug/tracing/error_log"));
        assertNull(k.vfs().lookup("/sys/kernel/debug/tracing/dynamic_events"));
        rejected("x do_sys_open", -Errno.EINVAL, "Probe definition must be started with 'p', 'r' or '-'.");
        rejected("r5x do_sys_open", -Errno.EINVAL, "Failed to parse maxactive.");
        rejected("r5000 do_sys_open", -Errno.E2BIG, "Maxactive is too big (5000 > 4096).");
        rejected("p:/ev do_sys_open", -Errno.EINVAL, "Group name is not specified");
        rejected("p:grp/ do_sys_open", -Errno.EINVAL, "Event name is not specified");
        rejected("-", -Errno.EINVAL, "Delete command needs an event name.");
        rejected("-:nosuch", -Errno.ENOENT, "Event kprobes/nosuch doesn't exist.");
        rejected("p:ev", -Errno.EINVAL, "Probe point is not specified.");
        rejected("p do_sys_open+x", -Errno.EINVAL, "Failed to parse either an address or a symbol.");
        rejected("r do_sys_open+4", -Errno.EINVAL, "Given offset is not valid for return probe.");
        rejected("p do_sys_open 1x=%di", -Errno.EINVAL, "Invalid argument[0] name: 1x");
        rejected("p do_sys_open a=%di a=%si", -Errno.EINVAL, "Argument[1] name 'a' conflicts with another field.");
        rejected("p do_sys_open %foo", -Errno.EINVAL, "Parse error at argument[0]. (-22)");
        rejected("p do_sys_open a=%di:x32", -Errno.EINVAL, "Parse error at argument[0]. (-22)");
        rejected("p do_sys_open%return", -Errno.ENOENT, "Could not insert probe at do_sys_open%return+0: -2");
        rejected("p do_sys_open+2", -Errno.EINVAL, "Probing address(0x" + Long.toHexString(addr("do_sys_open") + 2)
                + ") is not an instruction boundary.");
        assertEquals("", cat(K));
    }

    @Test
    void theOldGrammarAcceptsWhatLaterKernelsRefuse() {
        boot414();
        assertEquals(0, echo("p5:1grp/my-event do_sys_open", K), "no name rules, MAXACTIVE ignored after p");
        assertEquals(0, append("r7:myret do_sys_open", K));
        assertEquals("p:1grp/my-event do_sys_open\nr:kprobes/myret do_sys_open\n", cat(K),
                "4.14 does not list MAXACTIVE");
        assertEquals(0, append("p:1grp/my-event vfs_read", K), "a new probe replaces the event of its name");
        assertEquals("r:kprobes/myret do_sys_open\np:1grp/my-event vfs_read\n", cat(K));
        assertEquals(0, echo("1", "/sys/kernel/debug/tracing/events/kprobes/myret/enable"));
        assertEquals(-Errno.EBUSY, append("r:myret vfs_read", K), "not while it is enabled");
        assertEquals(-Errno.EBUSY, append("-:myret", K));
    }
}
