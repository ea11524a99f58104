package dev.ksim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandlerHygieneRuleTest extends CheckerTestSupport {

    @ParameterizedTest
    @ValueSource(strings = {"while (true) { ktime_get(); }", "for (;;) { }", "do { ktime_get(); } while (true);"})
    void loopsWithoutAnExitAreReported(String loop) {
        Diagnostic d = only(check("Spin", kprobeModule("Spin", "kernel_clone", loop, "")), Rule.HANDLER_LOOP);
        assertEquals("loop without an exit in kprobe pre_handler context: the CPU spins with preemption off until "
                + "the watchdog reports a soft lockup", d.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"while (true) { if (ktime_get() > 5) break; }", "for (int i = 0; i < 8; i++) { }",
        "while (regs.hashCode() > 0) { return 1; }", "for (;;) { if (p.nmissed > 0) return 1; }"})
    void boundedLoopsAreNot(String loop) {
        assertClean(check("Loop", kprobeModule("Loop", "kernel_clone", loop, "")));
    }

    @Test
    void recursionIsReported() {
        Diagnostic d = only(check("Rec", kprobeModule("Rec", "kernel_clone", "walk(8);", """
                long walk(int n) { return n == 0 ? 0 : 1 + walk(n - 1); }
                """)), Rule.HANDLER_LOOP);
        assertEquals("recursive call to walk() in kprobe pre_handler context: its depth is unbounded on the kernel "
                + "stack", d.message());
        assertEquals("call chain: kp.pre_handler -> handler_pre() -> walk() -> walk()", d.notes().get(0).message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"byte[] b = new byte[8192];", "long[] l = new long[1024];",
        "int n = regs.hashCode(); byte[] b = new byte[n];", "kmalloc(16384, GFP_ATOMIC);",
        "for (int i = 0; i < 4; i++) { StringBuilder sb = new StringBuilder(); }"})
    void heavyAllocationsAreReported(String alloc) {
        only(check("Alloc", kprobeModule("Alloc", "kernel_clone", alloc, "")), Rule.HANDLER_ALLOC);
    }

    @ParameterizedTest
    @ValueSource(strings = {"byte[] b = new byte[64];", "long[] l = new long[512];", "byte[] b = {1, 2};",
        "kmalloc(4096, GFP_ATOMIC);", "if (regs == null) throw new IllegalStateException();"})
    void lightAllocationsAreNot(String alloc) {
        assertClean(check("Alloc", kprobeModule("Alloc", "kernel_clone", alloc, "")));
    }

    @Test
    void callingWhatTheModuleProbesIsReported() {
        CheckReport r = check("Reenter", kprobeModule("Reenter", "_printk", "pr_info(\"hit\\n\");", ""));
        Diagnostic d = only(r, Rule.HANDLER_REENTERS);
        assertEquals("Printk.pr_info() runs _printk, which this module probes: a hit inside a handler is not handled, "
                + "only counted in nmissed", d.message());
        assertEquals("'_printk' is probed here", d.notes().get(1).message());
    }

    @Test
    void callingDeeperIntoTheProbedPathCountsToo() {
        only(check("Deeper", kprobeModule("Deeper", "vprintk", "pr_info(\"hit\\n\");", "")), Rule.HANDLER_REENTERS);
    }

    @Test
    void callingOtherFunctionsIsFine() {
        assertClean(check("Other", kprobeModule("Other", "kfree", "long a = kmalloc(8, GFP_ATOMIC);", "")));
    }
}
