package dev.ksim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RegistrationRuleTest extends CheckerTestSupport {
    private static String twoProbes(String init, String exit) {
        return """
                @ModuleInfo(license = "GPL")
                public class Two implements KernelModule {
                    final Kprobe kp1 = new Kprobe("kernel_clone");
                    final Kretprobe rp = new Kretprobe("do_sys_openat2");
                    int pre(Kprobe p, PtRegs r) { return 0; }
                    int ret(KretprobeInstance ri, PtRegs r) { return 0; }
                    public int init() {
                        int ret;
                        kp1.pre_handler = this::pre;
                        rp.handler = this::ret;
                        INIT
                    }
                    public void exit() { EXIT }
                    void unregister_all() { unregister_kretprobe(rp); unregister_kprobe(kp1); }
                }
                """.replace("INIT", init).replace("EXIT", exit);
    }

    /** Registers rp, unregistering kp1 if that fails. */
    private static final String REGISTER_RP = """
            ret = register_kretprobe(rp);
            if (ret < 0) {
                unregister_kprobe(kp1);
                return ret;
            }
            return 0;
            """;

    private static final String GOOD_INIT = """
            ret = register_kprobe(kp1);
            if (ret < 0) {
                return ret;
            }
            """ + REGISTER_RP;

    @Test
    void initUndoneByExitAndOnEveryErrorPathIsClean() {
        assertClean(check("Two", twoProbes(GOOD_INIT, "unregister_kretprobe(rp); unregister_kprobe(kp1);")));
    }

    @Test
    void exitMayUndoThroughAHelper() {
        assertClean(check("Two", twoProbes(GOOD_INIT, "unregister_all();")));
    }

    @Test
    void aProbeExitForgetsIsAnError() {
        CheckReport r = check("Two", twoProbes(GOOD_INIT, "unregister_kprobe(kp1);"));
        Diagnostic d = only(r, Rule.EXIT_UNREGISTER);
        assertEquals(Severity.ERROR, d.severity());
        assertTrue(d.message().startsWith("kretprobe 'rp' registered in init() is not unregistered in exit()"),
                d.message());
        assertEquals("exit() does not call unregister_kretprobe(rp)", d.notes().get(0).message());
    }

    @Test
    void anErrorPathThatLeavesAProbeRegisteredIsAWarning() {
        CheckReport r = check("Two", twoProbes("""
                ret = register_kprobe(kp1);
                if (ret < 0) {
                    return ret;
                }
                ret = register_kretprobe(rp);
                if (ret < 0) {
                    return ret;
                }
                return 0;
                """, "unregister_kretprobe(rp); unregister_kprobe(kp1);"));
        Diagnostic d = only(r, Rule.INIT_ERROR_PATH);
        assertEquals(Severity.WARNING, d.severity());
        assertTrue(d.message().startsWith("init() fails here with 'kp1' still registered"), d.message());
        assertEquals(26, d.at().line(), r.format());
    }

    @Test
    void theTestOfARegistrationInTheConditionCountsToo() {
        assertClean(check("Two", twoProbes("""
                if (register_kprobe(kp1) < 0) {
                    return -1;
                }
                if (register_kretprobe(rp) < 0) {
                    unregister_kprobe(kp1);
                    return -1;
                }
                return 0;
                """, "unregister_kretprobe(rp); unregister_kprobe(kp1);")));
        CheckReport r = check("Two", twoProbes("""
                if (register_kprobe(kp1) < 0) {
                    return -1;
                }
                if (register_kretprobe(rp) < 0) {
                    return -1;
                }
                return 0;
                """, "unregister_kretprobe(rp); unregister_kprobe(kp1);"));
        only(r, Rule.INIT_ERROR_PATH);
    }

    @Test
    void registeringAgainWithoutClearingAddrIsAnError() {
        CheckReport r = check("Two", twoProbes("""
                ret = register_kprobe(kp1);
                unregister_kprobe(kp1);
                ret = register_kprobe(kp1);
                if (ret < 0) {
                    return ret;
                }
                """ + REGISTER_RP, "unregister_all();"));
        Diagnostic d = only(r, Rule.REREGISTER);
        assertEquals("'kp1' registered again without clearing kp1.addr and kp1.flags: register_kprobe() returns "
                + "-EINVAL, as addr and symbol_name are both set", d.message());
        assertEquals("first registered here", d.notes().get(0).message());
    }

    @Test
    void registeringAgainAfterClearingAddrAndFlagsIsFine() {
        assertClean(check("Two", twoProbes("""
                ret = register_kprobe(kp1);
                unregister_kprobe(kp1);
                kp1.addr = 0;
                kp1.flags = 0;
                ret = register_kprobe(kp1);
                if (ret < 0) {
                    return ret;
                }
                """ + REGISTER_RP, "unregister_all();")));
    }

    @Test
    void aKretprobeInALoopNeedsItsKprobeCleared() {
        String loop = """
                for (int i = 0; i < 3; i++) {
                    CLEAR
                    ret = register_kretprobe(rp);
                    unregister_kretprobe(rp);
                }
                ret = register_kprobe(kp1);
                if (ret < 0) {
                    return ret;
                }
                CLEAR
                """ + REGISTER_RP;
        CheckReport r = check("Two", twoProbes(loop.replace("CLEAR", ""), "unregister_all();"));
        assertEquals(2, r.of(Rule.REREGISTER).size(), r.format());
        assertClean(check("Two", twoProbes(loop.replace("CLEAR", "rp.kp.addr = 0; rp.kp.flags = 0;"),
                "unregister_all();")));
    }
}
