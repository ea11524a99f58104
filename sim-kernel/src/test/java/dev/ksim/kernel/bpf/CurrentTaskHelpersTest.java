package dev.ksim.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.sdk.Errno;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** bpf_get_current_pid_tgid, _uid_gid and _comm: the current task's, and -EINVAL where there is none. */
class CurrentTaskHelpersTest {

    @Test
    void helpersDescribeTheTaskOnTheCpu() {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults())) {
            assertEquals((1L << 32) | 1L, (long) k.run(k::bpf_get_current_pid_tgid), "init is pid 1, tgid 1");
            assertEquals(0L, (long) k.run(k::bpf_get_current_uid_gid), "root: gid 0 << 32 | uid 0");
            byte[] comm = new byte[16];
            Arrays.fill(comm, (byte) 'x');
            assertEquals(0, (int) k.run(() -> k.bpf_get_current_comm(comm, 16)));
            byte[] expected = new byte[16];
            System.arraycopy("init".getBytes(StandardCharsets.US_ASCII), 0, expected, 0, 4);
            assertArrayEquals(expected, comm, "the name, NUL-padded");
            byte[] small = new byte[3];
            assertEquals(0, (int) k.run(() -> k.bpf_get_current_comm(small, 3)));
            assertArrayEquals(new byte[] {'i', 'n', 0}, small, "cut to size - 1 and NUL-terminated");
            assertEquals(-Errno.EINVAL, (int) k.run(() -> k.bpf_get_current_comm(small, 4)), "size beyond the buffer");
        }
    }

    @Test
    void withoutATaskTheyFail() {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults())) {
            assertEquals(-Errno.EINVAL, k.bpf_get_current_pid_tgid());
            assertEquals(-Errno.EINVAL, k.bpf_get_current_uid_gid());
            assertEquals(-Errno.EINVAL, k.bpf_get_current_comm(new byte[16], 16));
        }
    }
}
