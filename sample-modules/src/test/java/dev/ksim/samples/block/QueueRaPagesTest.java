package dev.ksim.samples.block;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.test.TestKernel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Reading read_ahead_kb runs queue_ra_show; the probe reads ra_pages through its first argument. */
class QueueRaPagesTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void printsRaPagesWhenReadAheadIsRead(Arch arch) {
        try (TestKernel k = TestKernel.boot(BootOptions.defaults().withArch(arch))) {
            k.insmod(QueueRaPages.class);
            String kb = k.spawn("/bin/cat").cat("/sys/block/vda/queue/read_ahead_kb");
            assertEquals("128\n", kb);
            k.dmesg().hasLinesMatching(1, "ra_pages =32");
            assertEquals(1, k.probe("queue_ra_show").hits());
        }
    }
}
