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
    @CsvSource({"KprobeExample, 6.8", "KretprobeExample, 6.8", "JprobeExample, 4.14"})
    void theKprobesSamplesAreCleanOnTheKernelTheyAreFor(String sample, String profile) throws CheckException {
        CheckReport r = check(KernelProfile.parse(profile), SAMPLES.resolve("kprobes/" + sample + ".java"));
        assertEquals("0 errors, 0 warnings (1 file checked)\n", r.format());
    }

    @Test
    void theJprobeSampleIsNotForTheCurrentKernel() throws CheckException {
        CheckReport r = check(KernelProfile.current(), SAMPLES.resolve("kprobes/JprobeExample.java"));
        assertEquals(List.of(Rule.PROBE_SYMBOL), r.diagnostics().stream().map(Diagnostic::rule).toList(), r.format());
    }
}
