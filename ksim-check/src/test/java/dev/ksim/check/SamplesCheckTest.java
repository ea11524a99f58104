package dev.ksim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.KernelProfile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sample modules: each mistake of the gallery triggers its rule, the other samples are clean. */
class SamplesCheckTest {
    private static final Path SAMPLES = Path.of("../sample-modules/src/main/java/dev/ksim/samples");

    private static CheckReport check(KernelProfile profile, Path file) throws CheckException {
        return new ModuleChecker(profile).check(List.of(file));
    }

    @ParameterizedTest
    @CsvSource({"SleepingHandler, handler-sleeps", "RecursiveHandler, handler-reenters",
        "SmallMaxactive, kretprobe-maxactive", "ForgetfulExit, exit-unregister"})
    void eachMistakeTriggersItsRule(String sample, String rule) throws CheckException {
        CheckReport r = check(KernelProfile.current(), SAMPLES.resolve("mistakes/" + sample + ".java"));
        assertEquals(List.of(Rule.byId(rule)), r.diagnostics().stream().map(Diagnostic::rule).toList(), r.format());
    }

    @ParameterizedTest
    @CsvSource({"kprobes/KprobeExample.java, 6.8", "kprobes/KretprobeExample.java, 6.8",
        "kprobes/JprobeExample.java, 4.14", "hids, 6.8", "tracing, 6.8", "block, 6.8", "fork, 4.14"})
    void theOtherSamplesAreCleanOnTheKernelTheyAreFor(String sample, String profile) throws CheckException {
        CheckReport r = check(KernelProfile.parse(profile), SAMPLES.resolve(sample));
        assertEquals(0, r.diagnostics().size(), r.format());
    }

    @Test
    void theJprobeSampleIsNotForTheCurrentKernel() throws CheckException {
        CheckReport r = check(KernelProfile.current(), SAMPLES.resolve("kprobes/JprobeExample.java"));
        assertEquals(List.of(Rule.PROBE_SYMBOL), r.diagnostics().stream().map(Diagnostic::rule).toList(), r.format());
    }
}
