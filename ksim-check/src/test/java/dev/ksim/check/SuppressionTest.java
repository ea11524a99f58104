package dev.ksim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SuppressionTest extends CheckerTestSupport {
    private static String sleeper(String annotationOnHandler, String annotationOnClass) {
        return """
                @ModuleInfo(license = "GPL")
                CLASSANN
                public class Sleeper implements KernelModule {
                    final Kprobe kp = new Kprobe("kernel_clone");
                    HANDLERANN
                    int pre(Kprobe p, PtRegs r) { msleep(1); while (true) { } }
                    public int init() { kp.pre_handler = this::pre; return register_kprobe(kp); }
                    public void exit() { unregister_kprobe(kp); }
                }
                """.replace("HANDLERANN", annotationOnHandler).replace("CLASSANN", annotationOnClass);
    }

    @Test
    void unsuppressedBothAreReported() {
        CheckReport r = check("Sleeper", sleeper("", ""));
        assertEquals(1, r.of(Rule.HANDLER_SLEEPS).size(), r.format());
        assertEquals(1, r.of(Rule.HANDLER_LOOP).size(), r.format());
    }

    @Test
    void suppressWarningsWithTheRuleIdSilencesOnlyThatRule() {
        CheckReport r = check("Sleeper", sleeper("@SuppressWarnings(\"ksim:handler-sleeps\")", ""));
        assertEquals(0, r.of(Rule.HANDLER_SLEEPS).size(), r.format());
        assertEquals(1, r.of(Rule.HANDLER_LOOP).size(), r.format());
    }

    @Test
    void anArrayOfIdsAndKsimAllOnTheClassWork() {
        CheckReport r = check("Sleeper", sleeper("@SuppressWarnings({\"unused\", \"ksim:handler-loop\", "
                + "\"ksim:handler-sleeps\"})", ""));
        assertEquals(0, r.diagnostics().size(), r.format());
        assertEquals(0, check("Sleeper", sleeper("", "@SuppressWarnings(value = \"ksim:all\")")).diagnostics().size());
    }

    @Test
    void otherKeysDoNotSuppress() {
        CheckReport r = check("Sleeper", sleeper("@SuppressWarnings(\"handler-sleeps\")", ""));
        assertEquals(1, r.of(Rule.HANDLER_SLEEPS).size(), r.format());
    }
}
