package dev.ksim.samples.fork;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.verify;

import dev.ksim.test.MockKernel;
import dev.ksim.test.MockKernelExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The fork jprobe against a mocked kernel. */
@ExtendWith(MockKernelExtension.class)
class ForkJprobeUnitTest {

    @Test
    void initRegistersAJprobeOnDoFork(MockKernel k) {
        assertEquals(0, new ForkJprobe().init());
        verify(k.services()).register_jprobe(argThat(jp -> "_do_fork".equals(jp.kp.symbol_name) && jp.entry != null));
    }

    @Test
    void theEntryPrintsAndReturnsThroughJprobeReturn(MockKernel k) {
        k.current(k.memory().struct("task_struct").set("tgid", 9).set("comm", "bash").build());
        new ForkJprobe().j_do_fork(0x01200011, 0, 0, 0, 0, 0);
        verify(k.services()).jprobe_return();
        k.dmesg().containsLine(
                "fork_jprobe: bash[9] clone_flags = 0x1200011 (CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD)");
    }

    @Test
    void flagsDecodeByName() {
        assertEquals("0", ForkJprobe.decode(0));
        assertEquals("CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS"
                + "|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID", ForkJprobe.decode(0x3d0f00));
        assertEquals("CLONE_IO|signal 9", ForkJprobe.decode(0x80000009L));
        assertEquals("0x100000000", ForkJprobe.decode(0x100000000L));
    }
}
