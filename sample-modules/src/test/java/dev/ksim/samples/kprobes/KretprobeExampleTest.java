package dev.ksim.samples.kprobes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.proc.Process;
import dev.ksim.test.TestKernel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The port of samples/kprobes/kretprobe_example.c reports return values, durations and misses. */
class KretprobeExampleTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void reportsEachForkAndTheMissesAtUnload(Arch arch) {
        try (TestKernel k = TestKernel.boot(BootOptions.defaults().withArch(arch))) {
            Process sh = k.shell();
            k.insmod(KretprobeExample.class);
            long c1 = sh.fork();
            long c2 = sh.fork();
            k.module("kretprobe_example").rmmod();
            k.dmesg().containsInOrder(
                    "Planted return probe at kernel_clone: 00000000[0-9a-f]{8}",
                    "kernel_clone returned " + c1 + " and took \\d+ ns to execute",
                    "kernel_clone returned " + c2 + " and took \\d+ ns to execute",
                    "kretprobe at 00000000[0-9a-f]{8} unregistered",
                    "Missed probing 0 instances of kernel_clone");
            assertEquals(0, k.probes().size());
        }
    }
}
