package dev.ksim.kernel.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelTestSupport;
import dev.ksim.sdk.Kernel;
import dev.ksim.sdk.Kprobe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AtomicSleepTest extends KernelTestSupport {
    private static final String MSLEEP_BUG =
            "BUG: sleeping function called from invalid context at kernel/time/timer.c:2159";

    private static int count(String log, String line) {
        return log.split(Pattern.quote(line), -1).length - 1;
    }

    private List<String> lines() {
        return List.of(k.log().messages().split("\n"));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void msleepInAPreHandlerSplatsOncePerSecondTaintsWAndTheWorkloadGoesOn(Arch arch) {
        boot(BootOptions.defaults().withArch(arch).withCpus(2).deterministic(7));
        AtomicInteger hits = new AtomicInteger();
        Kprobe p = new Kprobe("vfs_read");
        p.pre_handler = (kp, regs) -> {
            hits.incrementAndGet();
            Kernel.msleep(300);
            return 0;
        };
        assertEquals(0, k.register_kprobe(p));
        assertFalse(k.taint().test(Taint.Flag.WARN));
        for (int i = 0; i < 5; i++) {
            k.call("vfs_read", 0, 0, 0, 0);
        }
        assertEquals(5, hits.get(), "every call ran through the probe and returned");
        String log = k.log().messages();
        assertEquals(2, count(log, MSLEEP_BUG),
                "1.5 s of virtual time in 300 ms sleeps: reports at 0 s and after the 1 s window\n" + log);
        assertTrue(k.taint().test(Taint.Flag.WARN));
        List<String> l = lines();
        int at = l.indexOf(MSLEEP_BUG);
        int pc = k.cpus().get(0).preemptCount();
        assertEquals(0, pc, "the handler's preempt count was given back");
        assertTrue(l.get(at + 1).matches("in_atomic\\(\\): 1, irqs_disabled\\(\\): [01], non_block: 0, pid: 1, name: \\S+"),
                l.get(at + 1));
        assertTrue(l.get(at + 2).matches("preempt_count: [0-9a-f]+, expected: 0"), l.get(at + 2));
        assertEquals("RCU nest depth: 0, expected: 0", l.get(at + 3));
        assertTrue(l.get(at + 4).startsWith("CPU: 0 PID: 1 Comm: "), l.get(at + 4));
        assertTrue(l.get(at + 4).contains(" Not tainted "), "W is added after the dump: " + l.get(at + 4));
        int second = l.subList(at + 1, l.size()).indexOf(MSLEEP_BUG) + at + 1;
        assertTrue(l.get(second + 4).matches("CPU: 0 PID: 1 Comm: \\S+ Tainted: G {8}W .*"), l.get(second + 4));
        List<String> trace = new ArrayList<>(l.subList(at + 5, Math.min(l.size(), at + 20)));
        String joined = String.join("\n", trace);
        assertTrue(joined.contains("dump_stack_lvl+0x"), joined);
        assertTrue(joined.indexOf("__might_resched+0x") < joined.indexOf("msleep+0x"), joined);
        assertTrue(joined.contains("vfs_read+0x"), joined);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void sleepingOutsideAtomicContextIsQuiet(Arch arch) {
        boot(BootOptions.defaults().withArch(arch).withCpus(2).deterministic(3));
        long before = k.ktime_get_ns();
        k.run(() -> {
            assertFalse(Kernel.in_atomic());
            Kernel.msleep(20);
            Kernel.usleep_range(100, 200);
            Kernel.might_sleep();
            Kernel.cond_resched();
            Kernel.schedule();
        });
        assertTrue(k.ktime_get_ns() - before >= 20_100_000L, "slept on the virtual clock");
        assertFalse(k.log().messages().contains("BUG:"), k.log().messages());
        assertFalse(k.taint().test(Taint.Flag.WARN));
    }

    @Test
    void mightSleepNamesTheModulesSourceLine() {
        boot(Arch.X86_64);
        Kprobe p = new Kprobe("vfs_write");
        int[] line = new int[1];
        p.pre_handler = (kp, regs) -> {
            line[0] = new Throwable().getStackTrace()[0].getLineNumber() + 1;
            Kernel.might_sleep();
            return 0;
        };
        k.register_kprobe(p);
        k.call("vfs_write", 0, 0, 0, 0);
        assertTrue(k.log().messages().contains("BUG: sleeping function called from invalid context at "
                + "dev/ksim/kernel/diag/AtomicSleepTest.java:" + line[0] + "\n"), k.log().messages());
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void scheduleInAHandlerIsSchedulingWhileAtomicEveryTime(Arch arch) {
        boot(arch);
        Kprobe p = new Kprobe("vfs_write");
        p.pre_handler = (kp, regs) -> {
            Kernel.schedule();
            return 0;
        };
        k.register_kprobe(p);
        k.call("vfs_write", 0, 0, 0, 0);
        k.call("vfs_write", 0, 0, 0, 0);
        String log = k.log().messages();
        List<String> l = lines();
        String bug = l.stream().filter(s -> s.startsWith("BUG: scheduling while atomic: ")).findFirst().orElseThrow();
        int pc = Integer.parseInt(bug.substring(bug.lastIndexOf("/0x") + 3), 16);
        assertTrue(bug.matches("BUG: scheduling while atomic: \\S+/1/0x[0-9a-f]{8}"), bug);
        assertTrue(pc != 0, bug);
        assertEquals(2, count(log, "BUG: scheduling while atomic: "), log);
        assertTrue(l.get(l.indexOf(bug) + 1).startsWith("Modules linked in:"), log);
        assertTrue(k.taint().test(Taint.Flag.WARN));
        assertEquals(0, k.cpus().get(0).preemptCount(), "the probe re-enabled preemption in balance");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void handlersSeeAtomicContext(Arch arch) {
        boot(arch);
        Kprobe p = new Kprobe("vfs_write");
        boolean[] seen = new boolean[4];
        p.pre_handler = (kp, regs) -> {
            seen[0] = Kernel.in_atomic();
            seen[1] = !Kernel.preemptible();
            seen[2] = arch == Arch.X86_64 ? Kernel.in_nmi() && Kernel.irqs_disabled() : Kernel.irqs_disabled();
            seen[3] = Kernel.smp_processor_id() == 0;
            return 0;
        };
        k.register_kprobe(p);
        k.call("vfs_write", 0, 0, 0, 0);
        assertTrue(seen[0] && seen[1] && seen[3], "in_atomic, !preemptible, cpu 0");
        assertTrue(seen[2], "int3 path: in_nmi and IRQs off; arm64 BRK: DAIF masked");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void kretprobeHandlersRunAtomicAndOnX86WithInterruptsOn(Arch arch) {
        boot(arch);
        dev.ksim.sdk.Kretprobe rp = new dev.ksim.sdk.Kretprobe();
        rp.kp.symbol_name = "vfs_write";
        boolean[] entry = new boolean[2];
        boolean[] ret = new boolean[2];
        rp.entry_handler = (ri, regs) -> {
            entry[0] = Kernel.in_atomic();
            entry[1] = Kernel.irqs_disabled();
            return 0;
        };
        rp.handler = (ri, regs) -> {
            ret[0] = Kernel.in_atomic();
            ret[1] = Kernel.irqs_disabled();
            return 0;
        };
        assertEquals(0, k.register_kretprobe(rp));
        k.call("vfs_write", 0, 0, 0, 0);
        assertTrue(entry[0] && ret[0], "both handlers run with preemption off");
        assertTrue(entry[1], "the entry handler runs on the breakpoint path: IRQs off");
        if (arch == Arch.X86_64) {
            assertFalse(ret[1], "x86's return trampoline runs the handler with IRQs on");
        }
    }
}
