package dev.ksim.samples.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

import dev.ksim.sdk.Errno;
import dev.ksim.test.MockKernel;
import dev.ksim.test.MockKernelExtension;
import dev.ksim.test.Regs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The queue_ra_show reader against a mocked kernel and structures built in fake memory. */
@ExtendWith(MockKernelExtension.class)
class QueueRaPagesUnitTest {

    @Test
    void readsRaPagesThroughDiOrX0(MockKernel k) {
        long bdi = k.memory().struct("backing_dev_info").set("ra_pages", 64).build();
        long q = k.memory().struct("request_queue").set("backing_dev_info", bdi).build();
        QueueRaPages m = new QueueRaPages();
        m.handler_pre(m.kp, Regs.x86().args(q).build());
        m.handler_pre(m.kp, Regs.arm64().args(q).build());
        k.dmesg().hasLinesMatching(2, "ra_pages =64");
    }

    @Test
    void initFailsWithTheKernelsErrno(MockKernel k) {
        when(k.services().register_kprobe(any())).thenReturn(-Errno.ENOENT);
        assertEquals(-Errno.ENOENT, new QueueRaPages().init());
        k.dmesg().containsLine("queue_ra_pages: register_kprobe failed, returned -2");
    }
}
