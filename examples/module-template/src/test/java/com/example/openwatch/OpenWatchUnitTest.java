package com.example.openwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.ksim.sdk.Errno;
import dev.ksim.test.MockKernel;
import dev.ksim.test.MockKernelExtension;
import dev.ksim.test.Regs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** No kernel: the SDK's calls go to a Mockito mock. */
@ExtendWith(MockKernelExtension.class)
class OpenWatchUnitTest {

    @Test
    void initPlantsAKprobeOnDoSysOpenat2(MockKernel k) {
        assertEquals(0, new OpenWatch().init());
        verify(k.services()).register_kprobe(argThat(p -> "do_sys_openat2".equals(p.symbol_name)));
    }

    @Test
    void initReturnsTheKernelsErrno(MockKernel k) {
        when(k.services().register_kprobe(any())).thenReturn(-Errno.EINVAL);
        assertEquals(-Errno.EINVAL, new OpenWatch().init());
        k.dmesg().containsLine("open_watch: register_kprobe failed, returned -22");
    }

    @Test
    void theHandlerLogsOnlyTheChosenCommand(MockKernel k) {
        k.current(k.memory().struct("task_struct").set("tgid", 42).set("comm", "cat").build());
        long name = k.memory().string("/etc/passwd");
        OpenWatch m = new OpenWatch();
        m.handler_pre(m.kp, Regs.x86().args(-100, name).build());
        m.comm = "bash";
        m.handler_pre(m.kp, Regs.x86().args(-100, name).build());
        k.dmesg().hasLinesMatching(1, "open_watch: .*").containsLine("open_watch: cat[42] opens /etc/passwd");
    }
}
