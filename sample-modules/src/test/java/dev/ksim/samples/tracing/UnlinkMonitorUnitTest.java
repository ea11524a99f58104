package dev.ksim.samples.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.test.MockKernel;
import dev.ksim.test.MockKernelExtension;
import dev.ksim.test.Regs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The unlink monitor against a mocked kernel. */
@ExtendWith(MockKernelExtension.class)
class UnlinkMonitorUnitTest {

    @Test
    void initPlantsAKprobeAndAKretprobeOnDoUnlinkat(MockKernel k) {
        UnlinkMonitor m = new UnlinkMonitor();
        assertEquals(0, m.init());
        verify(k.services()).register_kprobe(argThat(p -> "do_unlinkat".equals(p.symbol_name)));
        verify(k.services()).register_kretprobe(argThat(rp -> "do_unlinkat".equals(rp.kp.symbol_name)));
    }

    @Test
    void aFailedKretprobeUnregistersTheKprobe(MockKernel k) {
        when(k.services().register_kretprobe(any(Kretprobe.class))).thenReturn(-Errno.ENOMEM);
        UnlinkMonitor m = new UnlinkMonitor();
        assertEquals(-Errno.ENOMEM, m.init());
        verify(k.services()).unregister_kprobe(m.kp);
        k.dmesg().containsLine("unlink_monitor: register_kretprobe failed, returned -12");
    }

    @Test
    void aFailedKprobeRegistersNothingElse(MockKernel k) {
        when(k.services().register_kprobe(any())).thenReturn(-Errno.EINVAL);
        assertEquals(-Errno.EINVAL, new UnlinkMonitor().init());
        verify(k.services(), never()).register_kretprobe(any());
    }

    @Test
    void handlersPrintAsTheBpfProgramDoes(MockKernel k) {
        long task = k.memory().struct("task_struct").set("pid", 77).set("tgid", 76).build();
        long name = k.memory().struct("filename").set("name", "/tmp/x").build();
        k.current(task);
        UnlinkMonitor m = new UnlinkMonitor();
        m.do_unlinkat(m.kp, Regs.x86().args(-100, name).build());
        m.do_unlinkat_exit(null, Regs.x86().returnValue(-2).build());
        m.do_unlinkat(m.kp, Regs.arm64().args(-100, 0xdead000000000000L).build());
        k.dmesg().containsInOrder("KPROBE ENTRY pid = 76, filename = /tmp/x", "KPROBE EXIT: pid = 76, ret = -2",
                "KPROBE ENTRY pid = 76, filename = \\(null\\)");
    }
}
