package dev.ksim.samples.kprobes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.proc.Process;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The port of samples/kprobes/kretprobe_example.c reports return values, durations and misses. */
class KretprobeExampleTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void reportsEachForkAndTheMissesAtUnload(Arch arch) {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withArch(arch))) {
            Process sh = k.spawn("/bin/sh");
            KretprobeExample m = new KretprobeExample();
            assertEquals(0, k.run(m::init));
            long c1 = sh.fork();
            long c2 = sh.fork();
            k.run(m::exit);
            List<String> lines = k.log().messages().lines().toList();
            assertTrue(lines.stream().anyMatch(Pattern.compile(
                    "Planted return probe at kernel_clone: 00000000[0-9a-f]{8}").asMatchPredicate()), lines::toString);
            for (long pid : List.of(c1, c2)) {
                assertTrue(lines.stream().anyMatch(Pattern.compile(
                        "kernel_clone returned " + pid + " and took \\d+ ns to execute").asMatchPredicate()),
                        lines::toString);
            }
            assertTrue(lines.contains("Missed probing 0 instances of kernel_clone"), lines::toString);
            assertTrue(lines.stream().anyMatch(Pattern.compile(
                    "kretprobe at 00000000[0-9a-f]{8} unregistered").asMatchPredicate()));
        }
    }
}
