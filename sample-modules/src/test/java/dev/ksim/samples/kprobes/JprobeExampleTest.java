package dev.ksim.samples.kprobes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelProfile;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.proc.Process;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The port of samples/kprobes/jprobe_example.c on the kernels that had jprobes, and on one that did not. */
class JprobeExampleTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void dumpsDoForkArgumentsOn414(Arch arch) {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withArch(arch).withProfile(KernelProfile.V4_14))) {
            Process sh = k.spawn("/bin/sh");
            JprobeExample m = new JprobeExample();
            assertEquals(0, k.run(m::init));
            sh.fork();
            k.run(m::exit);
            List<String> lines = k.log().messages().lines().toList();
            long addr = k.text().lookupName("_do_fork").address();
            String planted = String.format("Planted jprobe at %016x, handler addr ", addr);
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(planted) && l.length() == planted.length() + 16),
                    "4.14 prints raw pointers: " + lines);
            assertTrue(lines.contains("jprobe: clone_flags = 0x11, stack_start = 0x0 stack_size = 0x0"),
                    lines::toString);
            assertTrue(lines.contains(String.format("jprobe at %016x unregistered", addr)), lines::toString);
        }
    }

    @Test
    void theCurrentKernelHasNoJprobes() {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults())) {
            assertEquals(-1, k.run(new JprobeExample()::init));
            assertTrue(k.log().messages().contains("register_jprobe failed, returned -38\n"));
        }
    }
}
