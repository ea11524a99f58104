package dev.ksim.samples.kprobes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Kprobe;
import dev.ksim.test.MockKernel;
import dev.ksim.test.MockKernelExtension;
import dev.ksim.test.Regs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sample against a mocked kernel: no kernel booted. */
@ExtendWith(MockKernelExtension.class)
class KprobeExampleUnitTest {

    @Test
    void initRegistersAProbeOnTheSymbolParameter(MockKernel k) {
        KprobeExample m = new KprobeExample();
        m.symbol = "do_sys_openat2";
        assertEquals(0, m.init());
        verify(k.services()).register_kprobe(argThat(p -> "do_sys_openat2".equals(p.symbol_name)
                && p.pre_handler != null && p.post_handler != null));
        k.dmesg().containsLineMatching("kprobe_init: Planted kprobe at [0-9a-f]{16}");
    }

    @Test
    void initReturnsTheErrnoWhenRegistrationFails(MockKernel k) {
        when(k.services().register_kprobe(any(Kprobe.class))).thenReturn(-Errno.ENOENT);
        assertEquals(-Errno.ENOENT, new KprobeExample().init());
        k.dmesg().containsLine("kprobe_init: register_kprobe failed, returned -2");
    }

    @Test
    void handlerPrintsIpAndFlags(MockKernel k) {
        KprobeExample m = new KprobeExample();
        Kprobe p = new Kprobe("kernel_clone");
        p.addr = 0xffffffff81234560L;
        assertEquals(0, m.handler_pre(p, Regs.x86().ip(p.addr + 1).build()));
        k.dmesg().containsLineMatching("handler_pre: <kernel_clone> p->addr = 0x[0-9a-f]{16}, ip = ffffffff81234561, "
                + "flags = 0x246");
    }
}
