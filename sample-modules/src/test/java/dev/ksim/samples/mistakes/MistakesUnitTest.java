package dev.ksim.samples.mistakes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Kernel;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.X86PtRegs;
import dev.ksim.sdk.spi.KernelBinding;
import dev.ksim.sdk.spi.KernelServices;
import org.junit.jupiter.api.Test;

/** The gallery's mistakes against a mocked kernel: each does what it should not, visibly. */
class MistakesUnitTest {
    private final KernelServices kernel = mock(KernelServices.class);

    @Test
    void sleepingHandlerCallsMsleepFromItsPreHandler() {
        try (var scope = KernelBinding.bind(kernel)) {
            SleepingHandler m = new SleepingHandler();
            assertEquals(0, m.init());
            verify(kernel).register_kprobe(argThat(p -> "kernel_clone".equals(p.symbol_name) && p.pre_handler != null));
            verify(kernel, never()).msleep(10);
            m.kp.pre_handler.handle(m.kp, new X86PtRegs());
            verify(kernel).msleep(10);
        }
    }

    @Test
    void recursiveHandlerAllocatesThroughTheFunctionItProbes() {
        when(kernel.__kmalloc(64, Kernel.GFP_ATOMIC)).thenReturn(0xffff888000100000L);
        try (var scope = KernelBinding.bind(kernel)) {
            RecursiveHandler m = new RecursiveHandler();
            assertEquals(0, m.init());
            verify(kernel).register_kprobe(argThat(p -> "kfree".equals(p.symbol_name)));
            X86PtRegs regs = new X86PtRegs();
            regs.di = 0xffff888000200000L;
            assertEquals(0, m.handler_pre(m.kp, regs));
            verify(kernel).__kmalloc(64, Kernel.GFP_ATOMIC);
            verify(kernel).kfree(0xffff888000100000L);
            verify(kernel).vprintk(contains("%s/%d frees %s"), argThat(a -> a[2].equals("an object")));
        }
    }

    @Test
    void smallMaxactiveAsksForOneInstance() {
        try (var scope = KernelBinding.bind(kernel)) {
            assertEquals(0, new SmallMaxactive().init());
            verify(kernel).register_kretprobe(argThat((Kretprobe rp) -> rp.maxactive == 1
                    && "hrtimer_nanosleep".equals(rp.kp.symbol_name) && rp.handler != null));
        }
    }

    @Test
    void forgetfulExitNeverUnregisters() {
        try (var scope = KernelBinding.bind(kernel)) {
            ForgetfulExit m = new ForgetfulExit();
            assertEquals(0, m.init());
            m.exit();
            verify(kernel).register_kprobe(m.kp);
            verify(kernel, never()).unregister_kprobe(any(Kprobe.class));
            verify(kernel).vprintk(contains("%d forks seen"), argThat(a -> a[0].equals(0L)));
        }
    }

    @Test
    void eachReturnsTheErrnoWhenRegistrationFails() {
        when(kernel.register_kprobe(any(Kprobe.class))).thenReturn(-Errno.ENOENT);
        when(kernel.register_kretprobe(any(Kretprobe.class))).thenReturn(-Errno.ENOENT);
        try (var scope = KernelBinding.bind(kernel)) {
            assertEquals(-Errno.ENOENT, new SleepingHandler().init());
            assertEquals(-Errno.ENOENT, new RecursiveHandler().init());
            assertEquals(-Errno.ENOENT, new SmallMaxactive().init());
            assertEquals(-Errno.ENOENT, new ForgetfulExit().init());
            verify(kernel, org.mockito.Mockito.times(4)).vprintk(contains("failed, returned %d"),
                    argThat(a -> a[0].equals(-Errno.ENOENT)));
        }
    }
}
