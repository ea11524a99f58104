package dev.ksim.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Maccess;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.X86PtRegs;
import dev.ksim.sdk.linux.Filename;
import dev.ksim.sdk.linux.TaskStruct;
import dev.ksim.sdk.spi.KernelBinding;
import dev.ksim.test.fixtures.ForkCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MockKernelExtension.class)
class MockKernelTest {

    @Test
    void theMockIsBoundForTheTest(MockKernel k) {
        assertSame(k.services(), KernelBinding.current());
    }

    @Test
    void initRegistersThroughTheMock(MockKernel k) {
        ForkCounter m = new ForkCounter();
        m.symbol = "do_sys_openat2";
        assertEquals(0, m.init());
        verify(k.services()).register_kprobe(argThat(p -> "do_sys_openat2".equals(p.symbol_name)));
    }

    @Test
    void aStubbedFailureReachesInitsErrorPath(MockKernel k) {
        when(k.services().register_kprobe(any(Kprobe.class))).thenReturn(-Errno.EINVAL);
        assertEquals(-Errno.EINVAL, new ForkCounter().init());
        k.dmesg().containsLine("fork_counter: register_kprobe failed, returned -22");
    }

    @Test
    void handlersReadStructuresFromFakeMemory(MockKernel k) {
        long task = k.memory().struct("task_struct").set("pid", 4242).set("comm", "a-very-long-command-name")
                .build();
        k.current(task);
        ForkCounter m = new ForkCounter();
        Kprobe p = new Kprobe("kernel_clone");
        PtRegs regs = Regs.x86().args(1, 2).ip(0xffffffff81000001L).build();
        assertEquals(0, m.init());
        assertEquals(0, m.pre(p, regs));
        k.dmesg().containsLine("fork_counter: kernel_clone by a-very-long-com[4242]");
        assertEquals("a-very-long-com", new TaskStruct(task).comm(), "comm is char[16]");
    }

    @Test
    void stringsPointersAndFaults(MockKernel k) {
        long name = k.memory().struct("filename").set("name", "/etc/passwd").build();
        assertEquals("/etc/passwd", new Filename(name).name());
        assertEquals(-Errno.EFAULT, Maccess.copy_from_kernel_nofault(new byte[8], 0xdead000000000000L, 8));
        assertThrows(IllegalArgumentException.class, () -> k.memory().read(0x10, 8));
        assertThrows(IllegalArgumentException.class, () -> k.memory().struct("task_struct").set("no_such", 1));
    }

    @Test
    void printkFormatsAsTheKernelDoes(MockKernel k) {
        dev.ksim.sdk.Printk.pr_info("a %d %s %lx\n", 1, "two", 0x30L);
        dev.ksim.sdk.Printk.pr_info("no newline yet ");
        dev.ksim.sdk.Printk.pr_cont("continued\n");
        dev.ksim.sdk.Printk.pr_info("last");
        k.dmesg().containsInOrder("a 1 two 30", "no newline yet continued", "last");
    }

    @Test
    void regsFollowTheCallingConvention() {
        X86PtRegs x = (X86PtRegs) Regs.x86().args(1, 2, 3, 4, 5, 6).returnValue(-2).build();
        assertEquals(6, x.r9);
        assertEquals(1, x.di);
        assertEquals(-2, x.ax);
        assertEquals(0x246, x.flags);
        PtRegs a = Regs.arm64().args(7).ip(0x40).build();
        assertEquals(7, a.kernelArgument(0));
        assertEquals(0x40, a.instructionPointer());
    }

    @Test
    void closingRestoresThePreviousBinding(MockKernel outer) {
        try (MockKernel inner = MockKernel.install()) {
            assertNotSame(outer.services(), inner.services());
            assertSame(inner.services(), KernelBinding.current());
        }
        assertSame(outer.services(), KernelBinding.current());
    }
}
