package dev.ksim.kernel.kprobes;

import static dev.ksim.sdk.Kernel.__builtin_return_address;
import static dev.ksim.sdk.Kernel.preemptible;
import static dev.ksim.sdk.Kernel.stack_trace_save;
import static dev.ksim.sdk.Kernel.stack_trace_save_regs;
import static dev.ksim.sdk.Kprobes.register_kprobe;
import static dev.ksim.sdk.Kprobes.register_kprobes;
import static dev.ksim.sdk.Kprobes.register_kretprobe;
import static dev.ksim.sdk.Kprobes.register_kretprobes;
import static dev.ksim.sdk.Kprobes.regs_return_value;
import static dev.ksim.sdk.Kprobes.unregister_kprobe;
import static dev.ksim.sdk.Kprobes.unregister_kprobes;
import static dev.ksim.sdk.Kprobes.unregister_kretprobe;
import static dev.ksim.sdk.Kprobes.unregister_kretprobes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.KernelTestSupport;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.text.FunctionDef;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.kernel.text.ModuleText;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.KretprobeInstance;
import dev.ksim.sdk.PtRegs;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A port of the kernel's kprobes self-test ({@code lib/tests/test_kprobes.c}, suite "kprobes_test"):
 * its targets are functions of a test module, its handlers the test's, its expectations KUnit's
 * (EXPECT_* failures are collected; the case passes when none failed).
 */
class KprobesSelfTest extends KernelTestSupport {
    private static final int DIV_FACTOR = 3;

    private final List<String> failures = new ArrayList<>();
    private long rand1;
    private long preh_val;
    private long posth_val;
    private long krph_val;
    private final long[] target_return_address = new long[2];
    private KFunction target;
    private KFunction target2;
    private KFunction recursed_target;
    private KFunction stacktrace_target;
    private KFunction internal_target;
    private KFunction stacktrace_driver;
    private KFunction test_case;

    private void expect(boolean ok, String what) {
        if (!ok) {
            failures.add(what);
        }
    }

    /** What the weaver makes of a module function: enter, body, exit. */
    private static long woven(KFunction f, LongSupplier body, long... args) {
        Cpu cpu = Cpu.current();
        if (cpu.enterWoven(f, args)) {
            return cpu.exitWoven(f, 0);
        }
        return cpu.exitWoven(f, body.getAsLong());
    }

    private long kprobe_target(long value) {
        return woven(target, () -> value / DIV_FACTOR, value);
    }

    private long kprobe_recursed_target(long value) {
        return woven(recursed_target, () -> value / DIV_FACTOR, value);
    }

    private long kprobe_target2(long value) {
        return woven(target2, () -> value / DIV_FACTOR + 1, value);
    }

    private long kprobe_stacktrace_internal_target() {
        return woven(internal_target, () -> {
            if (target_return_address[0] == 0) {
                target_return_address[0] = __builtin_return_address(0);
            }
            return target_return_address[0];
        });
    }

    private long kprobe_stacktrace_target() {
        return woven(stacktrace_target, () -> {
            if (target_return_address[1] == 0) {
                target_return_address[1] = __builtin_return_address(0);
            }
            kprobe_stacktrace_internal_target();
            return target_return_address[1];
        });
    }

    private long kprobe_stacktrace_driver() {
        return woven(stacktrace_driver, () -> {
            kprobe_stacktrace_target();
            return __builtin_return_address(0);
        });
    }

    // ---------------------------------------------------------------- handlers

    private int kp_pre_handler(Kprobe p, PtRegs regs) {
        expect(!preemptible(), "kp_pre_handler: preemptible()");
        preh_val = kprobe_recursed_target(rand1);
        return 0;
    }

    private void kp_post_handler(Kprobe p, PtRegs regs, long flags) {
        long expval = kprobe_recursed_target(rand1);
        expect(!preemptible(), "kp_post_handler: preemptible()");
        expect(preh_val == expval, "kp_post_handler: preh_val == expval");
        posth_val = preh_val + DIV_FACTOR;
    }

    private int kp_pre_handler2(Kprobe p, PtRegs regs) {
        preh_val = rand1 / DIV_FACTOR + 1;
        return 0;
    }

    private void kp_post_handler2(Kprobe p, PtRegs regs, long flags) {
        expect(preh_val == rand1 / DIV_FACTOR + 1, "kp_post_handler2: preh_val");
        posth_val = preh_val + DIV_FACTOR;
    }

    private int entry_handler(KretprobeInstance ri, PtRegs regs) {
        expect(!preemptible(), "entry_handler: preemptible()");
        krph_val = rand1 / DIV_FACTOR;
        return 0;
    }

    private int return_handler(KretprobeInstance ri, PtRegs regs) {
        long ret = regs_return_value(regs);
        expect(!preemptible(), "return_handler: preemptible()");
        expect(ret == rand1 / DIV_FACTOR, "return_handler: ret == rand1 / div_factor");
        expect(krph_val != 0, "return_handler: krph_val != 0");
        krph_val = rand1;
        return 0;
    }

    private int return_handler2(KretprobeInstance ri, PtRegs regs) {
        long ret = regs_return_value(regs);
        expect(ret == rand1 / DIV_FACTOR + 1, "return_handler2: ret");
        expect(krph_val != 0, "return_handler2: krph_val != 0");
        krph_val = rand1;
        return 0;
    }

    private int stacktrace_return_handler(KretprobeInstance ri, PtRegs regs) {
        long retval = regs_return_value(regs);
        long[] stack_buf = new long[16];
        expect(!preemptible(), "stacktrace_return_handler: preemptible()");
        expect(retval == target_return_address[1], "stacktrace_return_handler: retval");
        int n = stack_trace_save(stack_buf, 16, 0);
        expect(n != 0, "stack_trace_save returned 0");
        int i;
        for (i = 0; i < n; i++) {
            if (stack_buf[i] == target_return_address[1]) {
                break;
            }
        }
        expect(i != n, "stack_trace_save misses target_return_address[1]: the trampoline was not resolved");
        n = stack_trace_save_regs(regs, stack_buf, 16, 0);
        expect(n != 0, "stack_trace_save_regs returned 0");
        expect(stack_buf[0] == target_return_address[1], "stack_trace_save_regs: buf[0] is not the real return");
        return 0;
    }

    private int stacktrace_internal_return_handler(KretprobeInstance ri, PtRegs regs) {
        long retval = regs_return_value(regs);
        long[] stack_buf = new long[16];
        expect(!preemptible(), "internal: preemptible()");
        expect(retval == target_return_address[0], "internal: retval");
        int n = stack_trace_save(stack_buf, 16, 0);
        expect(n != 0, "internal: stack_trace_save returned 0");
        int i;
        for (i = 0; i < n - 1; i++) {
            if (stack_buf[i] == target_return_address[0]) {
                expect(stack_buf[i + 1] == target_return_address[1], "internal: stack_buf[i + 1]");
                break;
            }
        }
        expect(i != n, "internal: target_return_address[0] not found");
        n = stack_trace_save_regs(regs, stack_buf, 16, 0);
        expect(n != 0, "internal: stack_trace_save_regs returned 0");
        expect(stack_buf[0] == target_return_address[0], "internal: regs buf[0]");
        expect(stack_buf[1] == target_return_address[1], "internal: regs buf[1]");
        return 0;
    }

    // ---------------------------------------------------------------- the suite

    private Kprobe kp;
    private Kprobe kp2;
    private Kprobe kp_missed;
    private Kretprobe rp;
    private Kretprobe rp2;
    private Kretprobe rp3;
    private Kretprobe rp4;

    private void kprobes_test_init(Arch arch) {
        boot(arch);
        ModuleText mt = k.text().loadModule("test_kprobes", List.of(
                new FunctionDef("kprobe_target", 1, List.of(), 0, Set.of()),
                new FunctionDef("kprobe_target2", 1, List.of(), 0, Set.of()),
                new FunctionDef("kprobe_recursed_target", 1, List.of(), 0, Set.of()),
                new FunctionDef("kprobe_stacktrace_internal_target", 0, List.of(), 0, Set.of()),
                new FunctionDef("kprobe_stacktrace_target", 0, List.of(), 0x10, Set.of()),
                new FunctionDef("kprobe_stacktrace_driver", 0, List.of(), 0x10, Set.of()),
                new FunctionDef("kprobes_test_case", 0, List.of(), 0x20, Set.of())));
        k.kprobes().moduleComing(mt);
        mt.setState(ModuleText.State.LIVE);
        target = mt.functions.get("kprobe_target");
        target2 = mt.functions.get("kprobe_target2");
        recursed_target = mt.functions.get("kprobe_recursed_target");
        internal_target = mt.functions.get("kprobe_stacktrace_internal_target");
        stacktrace_target = mt.functions.get("kprobe_stacktrace_target");
        stacktrace_driver = mt.functions.get("kprobe_stacktrace_driver");
        test_case = mt.functions.get("kprobes_test_case");
        do {
            rand1 = Integer.toUnsignedLong(new java.util.Random(7).nextInt());
        } while (rand1 <= DIV_FACTOR);
        kp = new Kprobe("kprobe_target");
        kp.pre_handler = this::kp_pre_handler;
        kp.post_handler = this::kp_post_handler;
        kp2 = new Kprobe("kprobe_target2");
        kp2.pre_handler = this::kp_pre_handler2;
        kp2.post_handler = this::kp_post_handler2;
        kp_missed = new Kprobe("kprobe_recursed_target");
        kp_missed.pre_handler = this::kp_pre_handler;
        kp_missed.post_handler = this::kp_post_handler;
        rp = new Kretprobe("kprobe_target");
        rp.handler = this::return_handler;
        rp.entry_handler = this::entry_handler;
        rp2 = new Kretprobe("kprobe_target2");
        rp2.handler = this::return_handler2;
        rp2.entry_handler = this::entry_handler;
        rp3 = new Kretprobe("kprobe_stacktrace_target");
        rp3.handler = this::stacktrace_return_handler;
        rp4 = new Kretprobe("kprobe_stacktrace_internal_target");
        rp4.handler = this::stacktrace_internal_return_handler;
    }

    /** Runs a case inside the test module's own frame, as KUnit runs it in a kthread. */
    private void runCase(Runnable body) {
        k.run(() -> woven(test_case, () -> {
            body.run();
            return 0;
        }));
        assertEquals(List.of(), failures);
    }

    private void test_kprobe() {
        expect(0 == register_kprobe(kp), "register_kprobe(&kp)");
        kprobe_target(rand1);
        unregister_kprobe(kp);
        expect(0 != preh_val, "preh_val");
        expect(0 != posth_val, "posth_val");
    }

    private void test_kprobes() {
        Kprobe[] kps = {kp, kp2};
        kp.addr = 0;
        kp.flags = 0;
        expect(0 == register_kprobes(kps, 2), "register_kprobes");
        preh_val = 0;
        posth_val = 0;
        kprobe_target(rand1);
        expect(0 != preh_val, "preh_val");
        expect(0 != posth_val, "posth_val");
        preh_val = 0;
        posth_val = 0;
        kprobe_target2(rand1);
        expect(0 != preh_val, "preh_val 2");
        expect(0 != posth_val, "posth_val 2");
        unregister_kprobes(kps, 2);
    }

    private void test_kprobe_missed() {
        preh_val = 0;
        posth_val = 0;
        expect(0 == register_kprobe(kp_missed), "register_kprobe(&kp_missed)");
        kprobe_recursed_target(rand1);
        expect(2 == kp_missed.nmissed, "kp_missed.nmissed == 2, was " + kp_missed.nmissed);
        expect(0 != preh_val, "preh_val");
        expect(0 != posth_val, "posth_val");
        unregister_kprobe(kp_missed);
    }

    private void test_kretprobe() {
        expect(0 == register_kretprobe(rp), "register_kretprobe(&rp)");
        kprobe_target(rand1);
        unregister_kretprobe(rp);
        expect(krph_val == rand1, "krph_val == rand1");
    }

    private void test_kretprobes() {
        Kretprobe[] rps = {rp, rp2};
        rp.kp.addr = 0;
        rp.kp.flags = 0;
        expect(0 == register_kretprobes(rps, 2), "register_kretprobes");
        krph_val = 0;
        kprobe_target(rand1);
        expect(krph_val == rand1, "krph_val == rand1");
        krph_val = 0;
        kprobe_target2(rand1);
        expect(krph_val == rand1, "krph_val == rand1 (2)");
        unregister_kretprobes(rps, 2);
    }

    private void test_stacktrace_on_kretprobe() {
        long myretaddr = __builtin_return_address(0);
        rp3.kp.addr = 0;
        rp3.kp.flags = 0;
        assertNotEquals(myretaddr, kprobe_stacktrace_driver());
        assertEquals(0, register_kretprobe(rp3));
        assertNotEquals(myretaddr, kprobe_stacktrace_driver());
        unregister_kretprobe(rp3);
    }

    private void test_stacktrace_on_nested_kretprobe() {
        long myretaddr = __builtin_return_address(0);
        Kretprobe[] rps = {rp3, rp4};
        rp3.kp.addr = 0;
        rp3.kp.flags = 0;
        assertEquals(0, register_kretprobes(rps, 2));
        assertNotEquals(myretaddr, kprobe_stacktrace_driver());
        unregister_kretprobes(rps, 2);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void kprobes_test(Arch arch) {
        kprobes_test_init(arch);
        runCase(this::test_kprobe);
        runCase(this::test_kprobes);
        runCase(this::test_kprobe_missed);
        runCase(this::test_kretprobe);
        runCase(this::test_kretprobes);
        runCase(this::test_stacktrace_on_kretprobe);
        runCase(this::test_stacktrace_on_nested_kretprobe);
        assertEquals("", k.read("/sys/kernel/debug/kprobes/list"), "every case unregistered its probes");
    }
}
