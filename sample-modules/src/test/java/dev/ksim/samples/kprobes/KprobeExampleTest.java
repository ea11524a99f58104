package dev.ksim.samples.kprobes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Errno;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The port of samples/kprobes/kprobe_example.c prints what the kernel sample prints. */
class KprobeExampleTest {

    private static final String P = "0x(00000000[0-9a-f]{8})";

    @ParameterizedTest
    @EnumSource(Arch.class)
    void printsTheSampleLinesWhenProcessesFork(Arch arch) {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withArch(arch))) {
            Process sh = k.spawn("/bin/sh");
            KprobeExample m = new KprobeExample();
            assertEquals(0, k.run(m::init));
            long addr = m.kp.addr;
            assertEquals(k.text().lookupName("kernel_clone").address(), addr);
            assertTrue(sh.fork() > 0);
            assertTrue(sh.fork() > 0);
            k.run(m::exit);

            List<String> lines = k.log().messages().lines().toList();
            String planted = find(lines, "kprobe_init: Planted kprobe at (00000000[0-9a-f]{8})").group(1);
            Matcher pre;
            if (arch == Arch.X86_64) {
                pre = find(lines, "handler_pre: <kernel_clone> p->addr = " + P + ", ip = ([0-9a-f]+), flags = 0x246");
                assertEquals(Long.toHexString(addr + 1), pre.group(2), "ip is the address after the int3");
                Matcher post = find(lines, "handler_post: <kernel_clone> p->addr = " + P + ", flags = 0x246");
                assertEquals(planted, post.group(1));
            } else {
                pre = find(lines, "handler_pre: <kernel_clone> p->addr = " + P + ", pc = 0x([0-9a-f]+), pstate = 0x60000005");
                assertEquals(Long.toHexString(addr), pre.group(2), "BRK leaves pc on the probe");
                find(lines, "handler_post: <kernel_clone> p->addr = " + P + ", pstate = 0x60000005");
            }
            assertEquals(planted, pre.group(1), "%p hashes the same pointer to the same value");
            assertEquals(planted, find(lines, "kprobe_exit: kprobe at (00000000[0-9a-f]{8}) unregistered").group(1));
            assertEquals(2, lines.stream().filter(l -> l.startsWith("handler_pre: <kernel_clone>")).count());
            assertEquals(2, lines.stream().filter(l -> l.startsWith("handler_post: <kernel_clone>")).count());
            assertTrue(k.read("/sys/kernel/debug/kprobes/list").isEmpty(), "exit unregistered the probe");
        }
    }

    @Test
    void aBadSymbolFailsInitWithTheKernelsErrno() {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults())) {
            KprobeExample m = new KprobeExample();
            m.symbol = "notifier_call_chain";
            assertEquals(-Errno.EINVAL, k.run(m::init));
            m = new KprobeExample();
            m.symbol = "no_such_function";
            assertEquals(-Errno.ENOENT, k.run(m::init));
            String log = k.log().messages();
            assertTrue(log.contains("kprobe_init: register_kprobe failed, returned -22\n"), log);
            assertTrue(log.contains("kprobe_init: register_kprobe failed, returned -2\n"), log);
        }
    }

    @Test
    void probingAnotherFunctionThroughTheParameter() {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults())) {
            Process sh = k.spawn("/bin/sh");
            KprobeExample m = new KprobeExample();
            m.symbol = "do_unlinkat";
            assertEquals(0, k.run(m::init));
            sh.open("/tmp/x", Process.O_CREAT | Process.O_WRONLY, 0644);
            sh.unlink("/tmp/x");
            k.run(m::exit);
            assertTrue(k.log().messages().contains("handler_pre: <do_unlinkat> p->addr = 0x"));
        }
    }

    private static Matcher find(List<String> lines, String regex) {
        Pattern p = Pattern.compile(regex);
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.matches()) {
                return m;
            }
        }
        throw new AssertionError("no line matches " + regex + " in:\n" + String.join("\n", lines));
    }
}
