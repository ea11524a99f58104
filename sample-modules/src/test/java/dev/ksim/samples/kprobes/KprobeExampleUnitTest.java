package dev.ksim.samples.kprobes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.X86PtRegs;
import dev.ksim.sdk.spi.KernelBinding;
import dev.ksim.sdk.spi.KernelServices;
import org.junit.jupiter.api.Test;

/** The sample against a mocked kernel: no kernel booted. */
class KprobeExampleUnitTest {

    @Test
    void initRegistersAProbeOnTheSymbolParameter() {
        KernelServices kernel = mock(KernelServices.class);
        try (var scope = KernelBinding.bind(kernel)) {
            KprobeExample m = new KprobeExample();
            m.symbol = "do_sys_openat2";
            assertEquals(0, m.init());
            verify(kernel).register_kprobe(argThat(p -> "do_sys_openat2".equals(p.symbol_name)
                    && p.pre_handler != null && p.post_handler != null));
            verify(kernel).vprintk(contains("Planted kprobe at %p"), any());
        }
    }

    @Test
    void initReturnsTheErrnoWhenRegistrationFails() {
        KernelServices kernel = mock(KernelServices.class);
        when(kernel.register_kprobe(any(Kprobe.class))).thenReturn(-Errno.ENOENT);
        try (var scope = KernelBinding.bind(kernel)) {
            assertEquals(-Errno.ENOENT, new KprobeExample().init());
            verify(kernel).vprintk(contains("register_kprobe failed, returned %d"),
                    argThat(a -> a.length == 1 && a[0].equals(-Errno.ENOENT)));
        }
    }

    @Test
    void handlerPrintsIpAndFlags() {
        KernelServices kernel = mock(KernelServices.class);
        try (var scope = KernelBinding.bind(kernel)) {
            KprobeExample m = new KprobeExample();
            Kprobe p = new Kprobe("kernel_clone");
            p.addr = 0xffffffff81234560L;
            X86PtRegs regs = new X86PtRegs();
            regs.ip = p.addr + 1;
            regs.flags = 0x246;
            assertEquals(0, m.handler_pre(p, regs));
            verify(kernel).vprintk(contains("handler_pre: <%s> p->addr = 0x%p, ip = %lx, flags = 0x%lx"),
                    argThat(a -> a[0].equals("kernel_clone") && a[2].equals(0xffffffff81234561L)
                            && a[3].equals(0x246L)));
        }
    }
}
