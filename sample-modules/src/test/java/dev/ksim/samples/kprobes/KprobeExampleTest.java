package dev.ksim.samples.kprobes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Errno;
import dev.ksim.test.Dmesg;
import dev.ksim.test.KsimTest;
import dev.ksim.test.TestKernel;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The port of samples/kprobes/kprobe_example.c prints what the kernel sample prints. */
@KsimTest
class KprobeExampleTest {

    private static final String P = "0x(00000000[0-9a-f]{8})";

    @ParameterizedTest
    @EnumSource(Arch.class)
    void printsTheSampleLinesWhenProcessesFork(Arch arch) {
        try (TestKernel k = TestKernel.boot(BootOptions.defaults().withArch(arch))) {
            Process sh = k.shell();
            KprobeExample m = new KprobeExample();
            assertEquals(0, k.start(m));
            long addr = m.kp.addr;
            assertEquals(k.kernel().text().lookupName("kernel_clone").address(), addr);
            assertTrue(sh.fork() > 0);
            assertTrue(sh.fork() > 0);
            k.stop(m);

            Dmesg log = k.dmesg();
            String planted = log.find("kprobe_init: Planted kprobe at (00000000[0-9a-f]{8})").group(1);
            Matcher pre;
            if (arch == Arch.X86_64) {
                pre = log.find("handler_pre: <kernel_clone> p->addr = " + P + ", ip = ([0-9a-f]+), flags = 0x246");
                assertEquals(Long.toHexString(addr + 1), pre.group(2), "ip is the address after the int3");
                assertEquals(planted, log.find("handler_post: <kernel_clone> p->addr = " + P + ", flags = 0x246")
                        .group(1));
            } else {
                pre = log.find("handler_pre: <kernel_clone> p->addr = " + P + ", pc = 0x([0-9a-f]+), pstate = 0x60000005");
                assertEquals(Long.toHexString(addr), pre.group(2), "BRK leaves pc on the probe");
                log.containsLineMatching("handler_post: <kernel_clone> p->addr = " + P + ", pstate = 0x60000005");
            }
            assertEquals(planted, pre.group(1), "%p hashes the same pointer to the same value");
            assertEquals(planted, log.find("kprobe_exit: kprobe at (00000000[0-9a-f]{8}) unregistered").group(1));
            log.hasLinesMatching(2, "handler_pre: <kernel_clone>.*").hasLinesMatching(2, "handler_post: <kernel_clone>.*");
            assertTrue(k.probes().isEmpty(), "exit unregistered the probe");
        }
    }

    @Test
    void aBadSymbolFailsInsmodWithTheKernelsErrno(TestKernel k) {
        assertEquals(-Errno.EINVAL, k.tryInsmod(KprobeExample.class, "symbol=notifier_call_chain"));
        assertEquals(-Errno.ENOENT, k.tryInsmod(KprobeExample.class, "symbol=no_such_function"));
        k.dmesg().containsInOrder("kprobe_init: register_kprobe failed, returned -22",
                "kprobe_init: register_kprobe failed, returned -2");
    }

    @Test
    void probingAnotherFunctionThroughTheParameter(TestKernel k) {
        assertEquals("do_unlinkat", k.insmod(KprobeExample.class, "symbol=do_unlinkat").param("symbol"));
        k.exec(p -> p.unlink("/tmp/x"), "/bin/rm", "/tmp/x");
        k.dmesg().containsLineMatching("handler_pre: <do_unlinkat> p->addr = 0x.*");
        assertEquals(1, k.probe("do_unlinkat").hits());
    }
}
