package dev.ksim.kernel.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.Arch;
import dev.ksim.sdk.Errno;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every grammar error of {@code kprobe_events} and {@code uprobe_events} gives the kernel's {@code error_log}
 * entry (the text of {@code trace_probe.h}'s ERRORS, the command, the caret where {@code __trace_probe_log_err}
 * puts it) and the write's errno.
 */
class ProbeErrorLogTest extends TracefsTestSupport {
    private static final int EINVAL = -Errno.EINVAL;

    static Stream<Arguments> kprobeErrors() {
        String fn = "p do_sys_openat2 ";
        return Stream.of(
                Arguments.of("p5 do_sys_openat2", EINVAL, "Maxactive is not for kprobe", 1),
                Arguments.of("r0 do_sys_openat2", EINVAL, "Invalid maxactive number", 1),
                Arguments.of("r5000 do_sys_openat2", EINVAL, "Maxactive is too big", 1),
                Arguments.of("p no_such_function", -Errno.ENOENT, "Invalid probed address or symbol", 2),
                Arguments.of("p do_sys_openat2+x", EINVAL, "Invalid probed address or symbol", 2),
                Arguments.of("r do_sys_openat2+4", EINVAL, "Retprobe address must be an function entry", 2),
                Arguments.of("p do_sys_openat2%foo", EINVAL, "Invalid probed address suffix", 16),
                Arguments.of("p:/ev do_sys_openat2", EINVAL, "Group name is not specified", 2),
                Arguments.of("p:1grp/ev do_sys_openat2", EINVAL,
                        "Group name must follow the same rules as C identifiers", 2),
                Arguments.of("p:" + "g".repeat(64) + "/ev do_sys_openat2", EINVAL, "Group name is too long", 2),
                Arguments.of("p:grp/ do_sys_openat2", EINVAL, "Event name is not specified", 6),
                Arguments.of("p:grp/e-v do_sys_openat2", EINVAL,
                        "Event name must follow the same rules as C identifiers", 6),
                Arguments.of("p:" + "e".repeat(65) + " do_sys_openat2", EINVAL, "Event name is too long", 2),
                Arguments.of(fn + "$retval", EINVAL, "$retval is not available on probe", 17),
                Arguments.of(fn + "$stack99999", EINVAL, "Invalid stack number", 17),
                Arguments.of(fn + "$arg0", EINVAL, "Invalid argument number", 17),
                Arguments.of(fn + "$foo", EINVAL, "Invalid $-valiable specified", 17),
                Arguments.of(fn + "%foo", EINVAL, "Invalid register name", 17),
                Arguments.of(fn + "@0xzz", EINVAL, "Invalid memory address", 17),
                Arguments.of(fn + "\\abc", EINVAL, "Invalid immediate value", 18),
                Arguments.of(fn + "\\\"abc", EINVAL, "String is not closed with '\"'", 22),
                Arguments.of(fn + "@+10", EINVAL, "File offset is not available with kprobe", 17),
                Arguments.of(fn + "+0(".repeat(15) + "%di" + ")".repeat(15), EINVAL, "Dereference is too much nested",
                        20),
                Arguments.of(fn + "+0%di", EINVAL, "Dereference needs a brace", 17),
                Arguments.of(fn + "+x(%di)", EINVAL, "Invalid dereference offset", 17),
                Arguments.of(fn + "+0(%di", EINVAL, "Dereference brace is not closed", 23),
                Arguments.of(fn + "x=+8(+0($comm))", EINVAL, "$comm can not be dereferenced", 25),
                Arguments.of(fn + "foo", EINVAL, "Invalid fetch argument", 17),
                Arguments.of(fn + "+0(%di):u8[2", EINVAL, "Array is not closed", 29),
                Arguments.of(fn + "+0(%di):u8[2]x", EINVAL, "Array has wrong suffix", 30),
                Arguments.of(fn + "+0(%di):u8[0]", EINVAL, "Invalid array size", 28),
                Arguments.of(fn + "+0(%di):u8[65]", EINVAL, "Array number is too big", 28),
                Arguments.of(fn + "%di:u7", EINVAL, "Unknown type is specified", 21),
                Arguments.of(fn + "%di:string", EINVAL, "String accepts only memory argument", 21),
                Arguments.of(fn + "%di:u8[2]", EINVAL, "String accepts only memory argument", 21),
                Arguments.of(fn + "%di:b9@0/8", EINVAL, "Invalid bitfield", 21),
                Arguments.of(fn + "a".repeat(33) + "=%di", EINVAL, "Argument name is too long", 17),
                Arguments.of(fn + "=%di", EINVAL, "Argument name is not specified", 17),
                Arguments.of(fn + "1x=%di", EINVAL, "Argument name must follow the same rules as C identifiers", 17),
                Arguments.of(fn + "a=%di a=%si", EINVAL, "This argument name is already used", 23),
                Arguments.of(fn + "common_pid=%di", EINVAL, "This argument name is already used", 17),
                Arguments.of(fn + "\\" + "1".repeat(63), EINVAL, "Argument expression is too long", 17),
                Arguments.of(fn + "x=", EINVAL, "No argument expression", 19),
                Arguments.of("p do_sys_openat2+2", -Errno.EILSEQ, "Probe point is not an instruction boundary", 2),
                Arguments.of("p notify_die", EINVAL, "Failed to register probe event", 2));
    }

    @ParameterizedTest
    @MethodSource("kprobeErrors")
    void kprobeEventsErrors(String command, int errno, String message, int caret) {
        boot(Arch.X86_64);
        assertEquals(errno, echo(command, "kprobe_events"), strerror(errno));
        assertEquals(entry("trace_kprobe", message, command, caret), lastEntry());
        assertEquals("", cat("kprobe_events"), "nothing was created");
    }

    static Stream<Arguments> uprobeErrors() {
        String at = "p /root/test:0x1149 ";
        return Stream.of(
                Arguments.of("p /nosuch:0x10", -Errno.ENOENT, "Failed to find the given file", 2),
                Arguments.of("p /root:0x10", EINVAL, "Not a regular file", 2),
                Arguments.of("p /root/test:0x1149%foo", EINVAL, "Invalid probed address suffix", 19),
                Arguments.of("p /root/test:0x11x9", EINVAL, "Invalid uprobe offset", 13),
                Arguments.of("p /root/test:0x1149(0x10", EINVAL, "Reference counter brace is not closed", 24),
                Arguments.of("p /root/test:0x1149(0x10)x", EINVAL, "Reference counter has wrong suffix", 25),
                Arguments.of("p /root/test:0x1149(zz)", EINVAL, "Invalid reference counter offset", 20),
                Arguments.of("p:/ev /root/test:0x1149", EINVAL, "Group name is not specified", 2),
                Arguments.of(at + "@sym", EINVAL, "Symbol is not available with uprobe", 20),
                Arguments.of(at + "@+zz", EINVAL, "Invalid file offset value", 20),
                Arguments.of(at + "$arg1", EINVAL, "Invalid $-valiable specified", 20),
                Arguments.of(at + "$retval", EINVAL, "$retval is not available on probe", 20));
    }

    @ParameterizedTest
    @MethodSource("uprobeErrors")
    void uprobeEventsErrors(String command, int errno, String message, int caret) {
        boot(Arch.X86_64);
        assertEquals(errno, echo(command, "uprobe_events"), strerror(errno));
        assertEquals(entry("trace_uprobe", message, command, caret), lastEntry());
        assertEquals("", cat("uprobe_events"));
    }

    @Test
    void anEventNameTakenByAnotherProbeTypeOrArgumentsOrTheSameProbe() {
        boot(Arch.X86_64);
        assertEquals(0, echo("p:ev do_sys_openat2 a=%di", "kprobe_events"));
        String r = "r:ev do_sys_openat2";
        assertEquals(-Errno.EEXIST, append(r, "kprobe_events"));
        assertEquals(entry("trace_kprobe", "Probe type is different from existing probe", r, 0), lastEntry());
        String differentType = "p:ev vfs_read a=%di:u32";
        assertEquals(-Errno.EEXIST, append(differentType, "kprobe_events"));
        assertEquals(entry("trace_kprobe", "Argument type or name is different from existing probe", differentType,
                14), lastEntry());
        String fewer = "p:ev vfs_read";
        assertEquals(-Errno.EEXIST, append(fewer, "kprobe_events"));
        assertEquals(entry("trace_kprobe", "Argument type or name is different from existing probe", fewer,
                fewer.length() + 1), lastEntry(), "past the last word, the caret goes after it");
        String same = "p:ev do_sys_openat2 a=%di";
        assertEquals(-Errno.EEXIST, append(same, "kprobe_events"));
        assertEquals(entry("trace_kprobe", "There is already the exact same probe event", same, 0), lastEntry());
        assertEquals(0, append("p:ev vfs_read a=%si", "kprobe_events"), "a second probe joins the event");
        assertEquals("p:kprobes/ev do_sys_openat2 a=%di\np:kprobes/ev vfs_read a=%si\n", cat("kprobe_events"));
    }

    @Test
    void aNameTakenByAnotherKindOfEvent() {
        boot(Arch.X86_64);
        assertEquals(0, echo("p:uprobes/same do_sys_openat2", "kprobe_events"));
        String u = "p:uprobes/same /root/test:0x1149";
        assertEquals(-Errno.EEXIST, echo(u, "uprobe_events"));
        assertEquals(entry("trace_uprobe", "Given group/event name is already used by another event", u, 0),
                lastEntry());
    }

    @Test
    void kernel510HasNoReturnSuffix() {
        boot(dev.ksim.kernel.BootOptions.defaults().withProfile(dev.ksim.kernel.KernelProfile.V5_10));
        assertEquals(-Errno.ENOENT, echo("p do_sys_openat2%return", "kprobe_events"));
        assertEquals(entry("trace_kprobe", "Invalid probed address or symbol", "p do_sys_openat2%return", 2),
                lastEntry());
        assertEquals(EINVAL, echo("p /root/test:0x1149%return", "uprobe_events"));
        assertEquals(entry("trace_uprobe", "Invalid uprobe offset", "p /root/test:0x1149%return", 13), lastEntry());
    }

    @Test
    void aNameTakenByAnotherKindOfEventOn510OnlyWarns() {
        boot(dev.ksim.kernel.BootOptions.defaults().withProfile(dev.ksim.kernel.KernelProfile.V5_10));
        assertEquals(0, echo("p:uprobes/same do_sys_openat2", "kprobe_events"));
        assertEquals(-Errno.EEXIST, echo("p:uprobes/same /root/test:0x1149", "uprobe_events"));
        assertEquals("", cat("error_log"));
        assertEquals(true, k.dmesg().contains("trace_uprobe: Failed to register probe event(-17)\n"), k.dmesg());
    }

    @Test
    void commandsThatAreNotProbesFailWithoutALogEntry() {
        boot(Arch.X86_64);
        assertEquals(EINVAL, echo("x do_sys_openat2", "kprobe_events"));
        assertEquals(EINVAL, echo("p", "kprobe_events"));
        assertEquals(EINVAL, echo("p /root/test:0x1149", "kprobe_events"), "a uprobe is not a kprobe");
        assertEquals(EINVAL, echo("p do_sys_openat2 $comm:u32", "kprobe_events"), "$comm is a string");
        assertEquals(EINVAL, echo("p do_sys_openat2", "uprobe_events"), "a kprobe is not a uprobe");
        assertEquals("", cat("error_log"));
    }

    @Test
    void theLogKeepsTheLastEightErrorsAndTruncationClearsIt() {
        boot(Arch.X86_64);
        for (int i = 0; i < 10; i++) {
            echo("p do_sys_openat2 %q" + i, "kprobe_events");
        }
        String log = cat("error_log");
        assertEquals(8, log.split("\n").length / 3);
        assertEquals(false, log.contains("%q0\n") || log.contains("%q1\n"), log);
        assertEquals(true, log.contains("%q2\n") && log.contains("%q9\n"), log);
        assertEquals(0, echo("", "error_log"));
        assertEquals("", cat("error_log"));
    }

    @Test
    void kernel414HasNoErrorLogAndPrintsParseErrorsToTheKernelLog() {
        boot(dev.ksim.kernel.BootOptions.defaults().withProfile(dev.ksim.kernel.KernelProfile.V4_14));
        assertEquals(null, k.vfs().lookup("/sys/kernel/debug/tracing/error_log"));
        assertEquals(EINVAL, echo("p do_sys_open a=%di b=%foo", "/sys/kernel/debug/tracing/kprobe_events"));
        assertEquals(true, k.dmesg().contains("trace_kprobe: Parse error at argument[1]. (-22)\n"), k.dmesg());
    }

    private String lastEntry() {
        String log = cat("error_log");
        String[] lines = log.split("\n");
        int n = lines.length;
        return lines[n - 3].replaceFirst("^\\[ *\\d+\\.\\d{6}\\] ", "") + "\n" + lines[n - 2] + "\n" + lines[n - 1] + "\n";
    }

    private static String entry(String loc, String message, String command, int caret) {
        return loc + ": error: " + message + "\n  Command: " + command + "\n" + " ".repeat(11 + caret) + "^\n";
    }
}
