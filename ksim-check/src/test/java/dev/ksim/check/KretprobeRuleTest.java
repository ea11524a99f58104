package dev.ksim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KretprobeRuleTest extends CheckerTestSupport {
    private static String kretprobe(String settings) {
        return """
                @ModuleInfo(license = "GPL")
                public class Ret implements KernelModule {
                    static final int SIZEOF_MY_DATA = 8;
                    static final int PAGE = 4096;
                    final Kretprobe rp = new Kretprobe();
                    int ret(KretprobeInstance ri, PtRegs r) { return 0; }
                    public int init() {
                        rp.kp.symbol_name = "kernel_clone";
                        rp.handler = this::ret;
                        SETTINGS
                        return register_kretprobe(rp);
                    }
                    public void exit() { unregister_kretprobe(rp); }
                }
                """.replace("SETTINGS", settings);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rp.kp.offset = 4;|kretprobe-offset|kretprobe 'rp' at offset 4: register_kretprobe() returns -EINVAL, a return probe can only sit on a function's entry",
        "rp.data_size = PAGE + SIZEOF_MY_DATA;|kretprobe-data-size|kretprobe 'rp' data_size 4104 exceeds KRETPROBE_MAX_DATA_SIZE (4096): register_kretprobe() returns -E2BIG",
        "rp.data_size = -1;|kretprobe-data-size|kretprobe 'rp' data_size -1 exceeds KRETPROBE_MAX_DATA_SIZE (4096): register_kretprobe() returns -E2BIG",
        "rp.maxactive = 2;|kretprobe-maxactive|kretprobe 'rp' maxactive 2 is below the kernel's default, max(10, 2 * num_possible_cpus())"})
    void badSettingsAreReported(String settings, String rule, String message) {
        Diagnostic d = only(check("Ret", kretprobe(settings)), Rule.byId(rule));
        assertEquals(message, d.message());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"rp.kp.offset = 0;", "rp.data_size = PAGE;", "rp.data_size = SIZEOF_MY_DATA;",
        "rp.maxactive = 0;", "rp.maxactive = 10;", "rp.maxactive = 64;", "rp.maxactive = num_possible_cpus();"})
    void goodSettingsAreNot(String settings) {
        assertClean(check("Ret", kretprobe(settings)));
    }

    @Test
    void aKprobeAtAnOffsetIsFine() {
        assertClean(check("Off", kprobeModule("Off", "kernel_clone", "", "{ kp.offset = 4; }")));
    }

    @Test
    void theMaxactiveWarningExplainsConcurrency() {
        Diagnostic d = only(check("Ret", kretprobe("rp.maxactive = 1;")), Rule.KRETPROBE_MAXACTIVE);
        assertEquals(Severity.WARNING, d.severity());
        assertEquals("each call holds an instance from entry to return: with more than 1 calls in flight (a sleeping "
                + "function, several CPUs) the others are not probed, only counted in nmissed", d.notes().get(0).message());
    }
}
