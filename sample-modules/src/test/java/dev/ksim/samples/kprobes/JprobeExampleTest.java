package dev.ksim.samples.kprobes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelProfile;
import dev.ksim.sdk.Errno;
import dev.ksim.test.KsimTest;
import dev.ksim.test.TestKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The port of samples/kprobes/jprobe_example.c on the kernels that had jprobes, and on one that did not. */
@KsimTest
class JprobeExampleTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void dumpsDoForkArgumentsOn414(Arch arch) {
        try (TestKernel k = TestKernel.boot(BootOptions.defaults().withArch(arch).withProfile(KernelProfile.V4_14))) {
            k.shell();
            k.insmod(JprobeExample.class);
            k.shell().fork();
            k.module("jprobe_example").rmmod();
            String addr = String.format("%016x", k.kernel().text().lookupName("_do_fork").address());
            k.dmesg().containsInOrder(
                    "Planted jprobe at " + addr + ", handler addr [0-9a-f]{16}",    // 4.14 prints raw pointers
                    "jprobe: clone_flags = 0x11, stack_start = 0x0 stack_size = 0x0",
                    "jprobe at " + addr + " unregistered");
        }
    }

    @Test
    void theCurrentKernelHasNoJprobes(TestKernel k) {
        assertEquals(-Errno.EPERM, k.tryInsmod(JprobeExample.class), "init returns -1, as the C sample does");
        k.dmesg().containsLine("register_jprobe failed, returned -38");
    }
}
