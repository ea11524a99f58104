package dev.ksim.samples.fork;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.KernelProfile;
import dev.ksim.sdk.Errno;
import dev.ksim.test.KsimTest;
import dev.ksim.test.TestKernel;
import org.junit.jupiter.api.Test;

/** The fork jprobe on the kernel that had jprobes, and on one that did not. */
@KsimTest(kernel = KernelProfile.V4_14)
class ForkJprobeTest {

    @Test
    void printsWhoForksAndTheDecodedFlags(TestKernel k) {
        int sh = k.shell().pid();
        k.insmod(ForkJprobe.class);
        k.shell().fork();
        k.shell().clone(0x100 | 0x4000 | 17);
        k.module("fork_jprobe").rmmod();
        k.dmesg().containsInOrder(
                "fork_jprobe: planted jprobe at _do_fork",
                "fork_jprobe: sh\\[" + sh + "\\] clone_flags = 0x11 \\(SIGCHLD\\)",
                "fork_jprobe: sh\\[" + sh + "\\] clone_flags = 0x4111 \\(CLONE_VM\\|CLONE_VFORK\\|SIGCHLD\\)",
                "fork_jprobe: jprobe at _do_fork unregistered");
    }

    @Test
    @KsimTest(kernel = KernelProfile.V4_14, arch = Arch.ARM64)
    void onArm64Too(TestKernel k) {
        k.insmod(ForkJprobe.class);
        k.shell();
        k.dmesg().containsLineMatching("fork_jprobe: init\\[1\\] clone_flags = 0x11 \\(SIGCHLD\\)");
        assertEquals('j', k.probe("_do_fork").type());
    }

    @Test
    @KsimTest
    void theCurrentKernelHasNoJprobes(TestKernel k) {
        assertEquals(-Errno.ENOSYS, k.tryInsmod(ForkJprobe.class));
        k.dmesg().containsLine("fork_jprobe: register_jprobe failed, returned -38");
    }
}
