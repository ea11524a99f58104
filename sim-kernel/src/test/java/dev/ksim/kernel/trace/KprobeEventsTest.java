package dev.ksim.kernel.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelProfile;
import dev.ksim.sdk.Errno;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** kprobe_events end to end: definitions, fetch arguments of every kind, events, the trace, the kprobes engine. */
class KprobeEventsTest extends TracefsTestSupport {

    @Test
    void aProbeIsListedEnabledAndTracedInTheKernelsLineFormat() {
        boot(Arch.X86_64);
        assertEquals(0, echo("p:myprobe do_sys_openat2 dfd=%di:s32 filename=+0(%si):string", "kprobe_events"));
        assertEquals("p:kprobes/myprobe do_sys_openat2 dfd=%di:s32 filename=+0(%si):string\n", cat("kprobe_events"));
        assertEquals(cat("kprobe_events"), cat("dynamic_events"));
        assertTrue(cat("/sys/kernel/debug/kprobes/list").matches("[0-9a-f]{16}  k  do_sys_openat2\\+0x0    \\[DISABLED\\]\n"),
                "registered with the engine, disabled until the event is enabled");
        assertEquals("0\n", cat("events/kprobes/myprobe/enable"));
        assertEquals(0, echo("1", "events/kprobes/myprobe/enable"));
        assertTrue(cat("/sys/kernel/debug/kprobes/list").matches("[0-9a-f]{16}  k  do_sys_openat2\\+0x0    \n"));
        openClose("/etc/passwd");
        String trace = cat("trace");
        String[] lines = trace.split("\n");
        assertEquals("# tracer: nop", lines[0]);
        assertEquals("# entries-in-buffer/entries-written: 1/1   #P:2", lines[2]);
        assertEquals("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION", lines[10]);
        Matcher m = LINE.matcher(lines[12]);
        assertTrue(m.matches(), lines[12]);
        assertEquals("sh", m.group(1));
        assertEquals(Integer.toString(sh.pid()), m.group(2));
        assertEquals(String.format("%03d", sh.cpu()), m.group(3));
        assertEquals("d.Z..", m.group(4), "x86's int3 handler runs as an NMI with interrupts off");
        assertTrue(lines[12].startsWith(String.format("%16s-%-7d [%03d] ", "sh", sh.pid(), sh.cpu())), lines[12]);
        assertEquals("myprobe: (do_sys_openat2+0x0/0x60) dfd=-100 filename=\"/etc/passwd\"", m.group(6));
        assertEquals("  myprobe                                                    1               0\n",
                cat("kprobe_profile"));
        assertEquals(cat("trace"), cat("/sys/kernel/debug/tracing/trace"), "the debugfs alias");
    }

    @Test
    void fetchArgumentsOfEveryTypeAndSource() {
        boot(Arch.X86_64);
        assertEquals(0, echo("p:t do_sys_openat2 u8=%di:u8 s8=%di:s8 x16=%di:x16 u32=%di:u32 s64=%di:s64 "
                + "ip=%ip:symbol", "kprobe_events"));
        assertEquals(0, append("p:t2 do_sys_openat2 bf=\\0xabcd:b4@4/16 comm=$comm imm=\\42 str=\\\"hi\" "
                + "arr=+0(%si):x8[4] us=+0(%si):ustring", "kprobe_events"));
        assertEquals(0, append("p:t3 do_sys_openat2 a1=$arg1 a2=$arg2:x64 sp=$stack deref=+8(+0(%si)):x8 "
                + "user=+u0(%si):u8 st1=$stack1 nr=@nr_cpu_ids:u32", "kprobe_events"));
        assertEquals(-Errno.ENOENT, append("p:t4 do_sys_openat2 v=@no_such_variable+8", "kprobe_events"));
        assertTrue(cat("error_log").endsWith("error: Invalid probed address or symbol\n"
                + "  Command: p:t4 do_sys_openat2 v=@no_such_variable+8\n" + " ".repeat(16) + "^\n"), cat("error_log"));
        assertEquals(0, echo("1", "events/kprobes/enable"));
        openClose("/etc/passwd");
        List<String> ev = events();
        assertEquals(3, ev.size(), ev.toString());
        assertTrue(ev.contains("t: (do_sys_openat2+0x0/0x60) u8=156 s8=-100 x16=0xff9c u32=4294967196 s64=-100 "
                + "ip=do_sys_openat2+0x1/0x60"), ev.toString());
        assertTrue(ev.contains("t2: (do_sys_openat2+0x0/0x60) bf=12 comm=\"sh\" imm=0x2a str=\"hi\" "
                + "arr={0x2f,0x65,0x74,0x63} us=\"/etc/passwd\""), ev.toString());
        String t3 = ev.stream().filter(s -> s.startsWith("t3:")).findFirst().orElseThrow();
        assertTrue(t3.matches("t3: \\(do_sys_openat2\\+0x0/0x60\\) a1=0xffffffffffffff9c a2=0x[0-9a-f]+ "
                + "sp=0xffff[0-9a-f]{12} deref=0x0 user=47 st1=0x[0-9a-f]+ nr=2"), t3);
    }

    @Test
    void dataSymbolsReadAsTheKernelsVariables() {
        boot(Arch.ARM64);
        assertEquals(0, echo("p:v do_sys_openat2 cpus=@nr_cpu_ids:u32 first=@linux_banner:x8 "
                + "banner=@linux_banner:string", "kprobe_events"));
        assertEquals(0, echo("1", "events/kprobes/enable"));
        openClose("/etc/passwd");
        String banner = cat("/proc/version");
        assertTrue(banner.startsWith("Linux version "), banner);
        assertTrue(cat("trace").contains("v: (do_sys_openat2+0x0/0x60) cpus=2 first=0x4c banner=\"" + banner + "\"\n"),
                cat("trace"));
    }

    @Test
    void stackSlotsHoldTheReturnAddressAndTheSavedFramePointer() {
        boot(Arch.X86_64);
        // At the entry the call's return address is on top; after push %rbp it is one word up.
        assertEquals(0, echo("p:entry do_sys_openat2 ret=$stack0:symbol", "kprobe_events"));
        assertEquals(0, append("p:body do_sys_openat2+4 fp=$stack0:x64 ret=$stack1:symbol rbp=%bp:x64 sp=$stack:x64",
                "kprobe_events"));
        assertEquals(0, echo("1", "events/kprobes/enable"));
        openClose("/etc/passwd");
        List<String> ev = events();
        assertEquals(2, ev.size(), ev.toString());
        assertTrue(ev.get(0).matches("entry: \\(do_sys_openat2\\+0x0/0x60\\) ret=do_sys_open\\+0x[0-9a-f]+/0x[0-9a-f]+"),
                ev.toString());
        Matcher body = java.util.regex.Pattern.compile("body: \\(do_sys_openat2\\+0x4/0x60\\) fp=(0x[0-9a-f]+) "
                + "ret=(do_sys_open\\+0x[0-9a-f]+/0x[0-9a-f]+) rbp=(0x[0-9a-f]+) sp=(0x[0-9a-f]+)").matcher(ev.get(1));
        assertTrue(body.matches(), ev.toString());
        assertEquals(ev.get(0).substring(ev.get(0).indexOf("ret=") + 4), body.group(2));
        assertEquals(body.group(4), body.group(3), "mov %rsp,%rbp made the saved word the frame pointer");
        assertTrue(Long.parseUnsignedLong(body.group(1).substring(2), 16)
                > Long.parseUnsignedLong(body.group(3).substring(2), 16), "the saved %rbp is the caller's, above");
    }

    @Test
    void arm64FrameRecordsHoldTheCallersFramePointerAndLinkRegister() {
        boot(Arch.ARM64);
        assertEquals(0, echo("p:body do_sys_openat2+8 fp=+0($stack):x64 lr=+8($stack):symbol x29=%x29:x64",
                "kprobe_events"));
        assertEquals(0, echo("1", "events/kprobes/enable"));
        openClose("/etc/passwd");
        List<String> ev = events();
        Matcher body = java.util.regex.Pattern.compile("body: \\(do_sys_openat2\\+0x8/0x[0-9a-f]+\\) fp=(0x[0-9a-f]+) "
                + "lr=do_sys_open\\+0x[0-9a-f]+/0x[0-9a-f]+ x29=(0x[0-9a-f]+)").matcher(ev.get(0));
        assertTrue(body.matches(), ev.toString());
        assertTrue(Long.parseUnsignedLong(body.group(1).substring(2), 16)
                > Long.parseUnsignedLong(body.group(2).substring(2), 16), "the caller's record is above this one");
    }

    @Test
    void returnProbesInEverySpelling() {
        boot(Arch.X86_64);
        assertEquals(0, echo("r2:myret do_sys_openat2 $retval", "kprobe_events"));
        assertEquals(0, append("p:ret2 do_sys_openat2%return rv=$retval:s32", "kprobe_events"));
        assertEquals(0, append("r do_sys_openat2", "kprobe_events"));
        assertEquals("r2:kprobes/myret do_sys_openat2 arg1=$retval\nr:kprobes/ret2 do_sys_openat2 rv=$retval:s32\n"
                + "r:kprobes/r_do_sys_openat2_0 do_sys_openat2\n", cat("kprobe_events"));
        assertEquals(0, echo("1", "events/kprobes/enable"));
        openClose("/etc/passwd");
        openClose("/nosuch");
        // Entry handlers run newest first, so the oldest probe's instance is the last pushed and returns first.
        assertEquals(List.of("myret: (do_sys_open+0x19/0x30 <- do_sys_openat2) arg1=0x3",
                "ret2: (do_sys_open+0x19/0x30 <- do_sys_openat2) rv=3",
                "r_do_sys_openat2_0: (do_sys_open+0x19/0x30 <- do_sys_openat2)",
                "myret: (do_sys_open+0x19/0x30 <- do_sys_openat2) arg1=0xfffffffffffffffe",
                "ret2: (do_sys_open+0x19/0x30 <- do_sys_openat2) rv=-2",
                "r_do_sys_openat2_0: (do_sys_open+0x19/0x30 <- do_sys_openat2)"), events());
        assertTrue(cat("events/kprobes/myret/format").contains("\tfield:unsigned long __probe_func;\toffset:8;\tsize:8;"
                + "\tsigned:0;\n\tfield:unsigned long __probe_ret_ip;\toffset:16;\tsize:8;\tsigned:0;\n"));
        assertTrue(cat("events/kprobes/myret/format").endsWith("print fmt: \"(%lx <- %lx) arg1=0x%Lx\", "
                + "REC->__probe_func, REC->__probe_ret_ip, REC->arg1\n"));
    }

    @Test
    void theKprobetraceDocumentationExamplesOnKernel414() {
        boot(BootOptions.defaults().withProfile(KernelProfile.V4_14).withCpus(2));
        String t = "/sys/kernel/debug/tracing/";
        assertEquals(0, echo("p:myprobe do_sys_open dfd=%ax filename=%dx flags=%cx mode=+4($stack)",
                t + "kprobe_events"));
        assertEquals(0, append("r:myretprobe do_sys_open $retval", t + "kprobe_events"));
        assertEquals("""
                name: myprobe
                ID: 1505
                format:
                \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
                \tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
                \tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
                \tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

                \tfield:unsigned long __probe_ip;\toffset:8;\tsize:8;\tsigned:0;
                \tfield:u64 dfd;\toffset:16;\tsize:8;\tsigned:0;
                \tfield:u64 filename;\toffset:24;\tsize:8;\tsigned:0;
                \tfield:u64 flags;\toffset:32;\tsize:8;\tsigned:0;
                \tfield:u64 mode;\toffset:40;\tsize:8;\tsigned:0;

                print fmt: "(%lx) dfd=0x%Lx filename=0x%Lx flags=0x%Lx mode=0x%Lx", REC->__probe_ip, REC->dfd, \
                REC->filename, REC->flags, REC->mode
                """, cat(t + "events/kprobes/myprobe/format"));
        assertEquals(0, echo("1", t + "events/kprobes/myprobe/enable"));
        assertEquals(0, echo("1", t + "events/kprobes/myretprobe/enable"));
        openClose("/nosuch");
        String trace = cat(t + "trace");
        assertTrue(trace.startsWith(new TraceFormat(KernelProfile.V4_14).header(3, 3, 2)), "4.14's header");
        List<String> ev = bodies(trace);
        assertEquals(3, ev.size(), trace);
        assertTrue(ev.get(1).matches("myprobe: \\(do_sys_open\\+0x0/0x60\\) dfd=0x[0-9a-f]+ filename=0x[0-9a-f]+ "
                + "flags=0x[0-9a-f]+ mode=0x[0-9a-f]+"), ev.get(1));
        assertEquals("myretprobe: (SyS_openat+0x12/0x20 <- do_sys_open) arg1=0xfffffffffffffffe", ev.get(2));
        String line = trace.lines().filter(l -> l.contains("myretprobe:")).findFirst().orElseThrow();
        assertTrue(line.startsWith(String.format("%16s-%-5d [%03d] ", "sh", sh.pid(), sh.cpu())), line);
        assertEquals(0, echo("0", t + "events/kprobes/myprobe/enable"));
        assertEquals(0, append("-:myprobe", t + "kprobe_events"));
        assertEquals("r:kprobes/myretprobe do_sys_open arg1=$retval\n", cat(t + "kprobe_events"));
    }

    @Test
    void removalTruncationAndAppending() {
        boot(Arch.X86_64);
        assertEquals(0, echo("p:a do_sys_openat2", "kprobe_events"));
        assertEquals(0, append("p:grp/b vfs_read", "kprobe_events"));
        assertEquals(0, echo("1", "events/grp/b/enable"));
        assertEquals(-Errno.EBUSY, append("-:grp/b", "kprobe_events"));
        assertEquals(-Errno.EBUSY, echo("p:c vfs_write", "kprobe_events"), "O_TRUNC fails while an event is enabled");
        assertEquals(2, cat("kprobe_events").lines().count());
        assertEquals(-Errno.ENOENT, append("-:nosuch", "kprobe_events"));
        assertEquals(-Errno.EINVAL, append("-:", "kprobe_events"));
        assertEquals(0, echo("0", "events/grp/b/enable"));
        assertEquals(0, append("-:b", "kprobe_events"), "the group may be left out");
        assertEquals(null, k.vfs().lookup(T + "events/grp"), "the last event of a group takes the group away");
        assertEquals("p:kprobes/a do_sys_openat2\n", cat("kprobe_events"));
        assertEquals(0, append("p:c vfs_write # a comment\n\np:d vfs_read", "kprobe_events"));
        assertEquals(3, cat("kprobe_events").lines().count());
        assertEquals(0, echo("", "kprobe_events"));
        assertEquals("", cat("kprobe_events"));
        assertEquals("", cat("/sys/kernel/debug/kprobes/list"), "unregistered from the engine");
        assertEquals(null, k.vfs().lookup(T + "events/kprobes"));
    }

    @Test
    void enableFilesOfEventsGroupsAndAll() {
        boot(Arch.X86_64);
        assertEquals(0, echo("p:a do_sys_openat2\np:b vfs_read", "kprobe_events"));
        assertEquals(-Errno.EINVAL, echo("2", "events/kprobes/a/enable"));
        assertEquals(-Errno.EINVAL, echo("on", "events/kprobes/a/enable"));
        assertEquals(0, echo("1", "events/kprobes/a/enable"));
        assertEquals("X\n", cat("events/kprobes/enable"));
        assertEquals(0, echo("1", "events/enable"));
        assertEquals("1\n", cat("events/kprobes/enable"));
        assertEquals(0, echo("0", "events/kprobes/enable"));
        assertEquals("0\n", cat("events/kprobes/b/enable"));
        assertTrue(cat("events/kprobes/b/id").matches("\\d+\n"));
    }

    @Test
    void filtersSelectEvents() {
        boot(Arch.X86_64);
        assertEquals(0, echo("p:o do_sys_openat2 dfd=%di:s32 name=+0(%si):string", "kprobe_events"));
        assertEquals("none\n", cat("events/kprobes/o/filter"));
        assertEquals(0, echo("name ~ \"/etc/*\" && dfd == 0xffffff9c", "events/kprobes/o/filter"));
        assertEquals(0, echo("1", "events/kprobes/o/enable"));
        openClose("/etc/passwd");
        openClose("/tmp");
        assertEquals(List.of("o: (do_sys_openat2+0x0/0x60) dfd=-100 name=\"/etc/passwd\""), events());
        assertEquals(0, echo("", "trace"));
        assertEquals(0, echo("!(dfd != 0xffffff9c) && (COMM == \"sh\" || common_pid < 0) && name ~ \"!/etc*\"",
                "events/kprobes/o/filter"));
        openClose("/etc/passwd");
        openClose("/tmp");
        assertEquals(List.of("o: (do_sys_openat2+0x0/0x60) dfd=-100 name=\"/tmp\""), events());
        assertEquals(0, echo("0", "events/kprobes/o/filter"));
        assertEquals("none\n", cat("events/kprobes/o/filter"));
    }

    @Test
    void filterErrorsAreShownAsTheKernelShowsThem() {
        boot(Arch.X86_64);
        assertEquals(0, echo("p:o do_sys_openat2 dfd=%di:s32 name=+0(%si):string", "kprobe_events"));
        String[][] cases = {
            {"nosuch == 1", "       ^", "Field not found"},
            {"dfd = 1", "     ^", "Invalid operator"},
            {"dfd ~ 3", "       ^", "Illegal operation for field type"},
            {"dfd == -100", "        ^", "Invalid value (did you forget quotes)?"},
            {"name == 3", "         ^", "Expecting string field"},
            {"dfd == \"x\"", "        ^", "Expecting numeric field"},
            {"dfd == 0xzz", "        ^", "Illegal integer value"},
            {"(dfd == 1", "^", "Too many '('"},
            {"dfd == 1)", "        ^", "Too few '('"},
            {"name == \"x", "        ^", "Missing matching quote"},
            {"dfd == 1 foo", "         ^", "Too many terms in predicate expression"},
        };
        for (String[] c : cases) {
            assertEquals(-Errno.EINVAL, echo(c[0], "events/kprobes/o/filter"), c[0]);
            assertEquals(c[0] + "\n" + c[1] + "\nparse_error: " + c[2] + "\n", cat("events/kprobes/o/filter"));
        }
        assertEquals(-Errno.EINVAL, echo("&& dfd == 1", "events/kprobes/o/filter"));
        assertEquals("&& dfd == 1\nError: (0)\n", cat("events/kprobes/o/filter"));
    }

    @Test
    void tracePipeConsumesTracingOnStopsAndTruncationClears() {
        boot(Arch.X86_64);
        assertEquals(0, echo("p:o do_sys_openat2", "kprobe_events"));
        assertEquals(0, echo("1", "events/kprobes/o/enable"));
        openClose("/etc/passwd");
        String pipe = cat("trace_pipe");
        assertEquals(List.of("o: (do_sys_openat2+0x0/0x60)"), bodies(pipe), "no header, one line per event");
        assertEquals(List.of(), events(), "consumed");
        assertEquals("", cat("trace_pipe"));
        assertEquals(0, echo("0", "tracing_on"));
        assertEquals(1, events().size(), "the echo's own open was traced before tracing stopped");
        assertEquals(0, echo("", "trace"));
        openClose("/etc/passwd");
        assertEquals(List.of(), events());
        assertEquals("0\n", cat("tracing_on"));
        assertEquals(0, echo("1", "tracing_on"));
        openClose("/etc/passwd");
        assertEquals(1, events().size());
        assertEquals(0, echo("", "trace"));
        assertTrue(cat("trace").contains("# entries-in-buffer/entries-written: 0/0   #P:2"));
    }

    @Test
    void arm64RegistersAndItsSeparateUserAddressSpace() {
        boot(Arch.ARM64);
        assertEquals(-Errno.EINVAL, echo("p do_sys_openat2 %di", "kprobe_events"));
        assertEquals(0, echo("p:o do_sys_openat2 dfd=%x0:s32 k=+0(%x1):string u=+0(%x1):ustring", "kprobe_events"));
        assertEquals(0, echo("1", "events/kprobes/o/enable"));
        openClose("/etc/passwd");
        assertEquals(List.of("o: (do_sys_openat2+0x0/0x60) dfd=-100 k=(fault) u=\"/etc/passwd\""), events(),
                "a user pointer read as kernel memory faults on arm64");
    }

    @Test
    void addressProbesAreNamedByTheHashedAddress() {
        boot(Arch.X86_64);
        long a = addr("do_sys_openat2");
        assertEquals(0, echo("p 0x" + Long.toHexString(a), "kprobe_events"));
        String def = cat("kprobe_events");
        assertTrue(def.matches("p:kprobes/p_0x([0-9a-f]{16}) 0x\\1\n"), def);
    }

    @Test
    void bpfTracePrintkLinesGoToTheSameBuffer() {
        boot(Arch.X86_64);
        k.run(() -> k.tracing().buffer().bpfTracePrintk(dev.ksim.kernel.cpu.Cpu.current().task(),
                dev.ksim.kernel.cpu.Cpu.current(), "KPROBE ENTRY pid = 1, filename = test1\n"));
        String pipe = cat("trace_pipe");
        Matcher m = LINE.matcher(pipe.strip());
        assertTrue(m.matches(), pipe);
        assertEquals("bpf_trace_printk: KPROBE ENTRY pid = 1, filename = test1", m.group(6));
    }

    @Test
    void eventsChangeWhileOtherCpusHitTheProbes() throws Exception {
        boot(Arch.X86_64);
        dev.ksim.kernel.proc.Process worker = k.spawn("/bin/sh");
        assertEquals(0, worker.sched_setaffinity(1));
        shell().sched_setaffinity(0);
        Thread t = new Thread(() -> {
            for (int i = 0; i < 300; i++) {
                long fd = worker.open("/etc/passwd", dev.ksim.kernel.proc.Process.O_RDONLY, 0);
                worker.close((int) fd);
            }
        });
        t.start();
        for (int i = 0; i < 20; i++) {
            assertEquals(0, echo("p:o" + i + " do_sys_openat2 name=+0(%si):string", "kprobe_events"));
            assertEquals(0, echo("1", "events/kprobes/o" + i + "/enable"));
            assertEquals(0, echo("0", "events/kprobes/o" + i + "/enable"));
        }
        t.join();
        assertEquals(0, echo("", "kprobe_events"));
        long hits = 0;
        for (String e : events()) {
            assertTrue(e.matches("o\\d+: \\(do_sys_openat2\\+0x0/0x60\\) name=\"[^\"]+\""), e);
            hits++;
        }
        assertTrue(hits >= 20, "at least the shell's own opens of the enable files");
    }

    @Test
    void aProbeHitInsideAnotherProbesHandlerIsAMissInTheProfile() {
        boot(Arch.X86_64);
        assertEquals(0, echo("p:pk _printk", "kprobe_events"));
        assertEquals(0, echo("1", "events/kprobes/pk/enable"));
        dev.ksim.sdk.Kprobe module = new dev.ksim.sdk.Kprobe("do_sys_openat2");
        module.pre_handler = (p, regs) -> {
            k.vprintk("\0016open\n", new Object[0]);
            return 0;
        };
        assertEquals(0, k.run(() -> k.register_kprobe(module)));
        openClose("/etc/passwd");
        k.run(() -> k.unregister_kprobe(module));
        k.run(() -> k.vprintk("\0016outside a handler\n", new Object[0]));
        assertEquals("  pk                                                         1               1\n", cat("kprobe_profile"),
                "the printk from the module's handler was missed, the one outside was hit");
        assertEquals(List.of("pk: (_printk+0x0/0x30)"), events());
    }

    @Test
    void aProbeOnAModuleNotLoadedYetWaitsForIt() {
        boot(Arch.X86_64);
        assertEquals(0, echo("p mymod:kprobe_target", "kprobe_events"));
        assertTrue(k.dmesg().contains("trace_kprobe: This probe might be able to register after target module is "
                + "loaded. Continue.\n"), k.dmesg());
        assertEquals("p:kprobes/p_mymod_kprobe_target_0 mymod:kprobe_target\n", cat("kprobe_events"));
        assertEquals("", cat("/sys/kernel/debug/kprobes/list"));
        assertEquals(0, echo("1", "events/kprobes/p_mymod_kprobe_target_0/enable"));
        dev.ksim.kernel.text.ModuleText mt = k.text().loadModule("mymod", List.of(new dev.ksim.kernel.text.FunctionDef(
                "kprobe_target", 1, List.of(), 0, java.util.Set.of())));
        k.run(() -> k.kprobes().moduleComing(mt));
        assertTrue(cat("/sys/kernel/debug/kprobes/list").matches("[0-9a-f]{16}  k  kprobe_target\\+0x0  mymod \n"),
                cat("/sys/kernel/debug/kprobes/list"));
        assertEquals(-Errno.ENOENT, append("p mymod:nosuch", "kprobe_events"), "the module is there, the symbol is not");
        assertTrue(cat("error_log").contains("error: Invalid probed address or symbol\n"), cat("error_log"));
    }
}
