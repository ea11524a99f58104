package dev.ksim.kernel.kprobes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelTestSupport;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.kernel.diag.Taint;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.sdk.Arm64PtRegs;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kprobes;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.X86PtRegs;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What happens when a CPU hits a probe: the int3 and BRK paths, aggregation, recursion, reentry. */
class HitFlowTest extends KernelTestSupport {




    @ParameterizedTest
    @EnumSource(Arch.class)
    void preSeesTheBreakpointAndPostTheNextInstruction(Arch arch) {
        boot(arch);
        long[] seen = new long[4];
        Kprobe p = new Kprobe("vfs_write");
        p.pre_handler = (kp, regs) -> {
            seen[0] = regs.instructionPointer();
            seen[1] = regs instanceof X86PtRegs x ? x.flags : ((Arm64PtRegs) regs).pstate;
            return 0;
        };
        p.post_handler = (kp, regs, flags) -> {
            seen[2] = regs.instructionPointer();
            seen[3] = flags;
        };
        assertEquals(0, k.register_kprobe(p));
        k.call("vfs_write", 3, 0x1000, 10, 0);
        long a = addr("vfs_write");
        if (arch == Arch.X86_64) {
            assertEquals(a + 1, seen[0], "int3 has executed: ip == addr + 1");
            assertEquals(0x246, seen[1]);
            assertEquals(a + 1, seen[2], "post: the next instruction (push %rbp is one byte)");
        } else {
            assertEquals(a, seen[0], "BRK does not advance pc");
            assertEquals(a + 4, seen[2], "post: pc = addr + 4");
        }
        assertEquals(0, seen[3], "post_handler flags are always 0");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void handlersRunWithPreemptionAndInterruptsOff(Arch arch) {
        boot(arch);
        List<String> ctx = new ArrayList<>();
        Kprobe p = new Kprobe("vfs_read");
        p.pre_handler = (kp, regs) -> {
            Cpu c = Cpu.current();
            ctx.add("pre preempt=" + Integer.toHexString(c.preemptCount()) + " irqs_off=" + c.irqsDisabled + " nmi="
                    + c.inNmi() + " running=" + (Kprobes.kprobe_running() == kp));
            return 0;
        };
        p.post_handler = (kp, regs, f) -> ctx.add("post preempt=" + Integer.toHexString(Cpu.current().preemptCount()));
        k.register_kprobe(p);
        k.call("vfs_read", 3, 0, 0, 0);
        assertEquals(List.of("pre preempt=110000 irqs_off=true nmi=true running=true", "post preempt=110000"), ctx);
        assertNull(k.run(Kprobes::kprobe_running), "no probe is running outside handlers");
        assertEquals(0, k.run(() -> Cpu.current().preemptCount()));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aHandlerThatLeavesPreemptionDisabledLeavesItSoAfterTheTrap(Arch arch) {
        boot(arch);
        Kprobe p = new Kprobe("vfs_read");
        p.pre_handler = (kp, regs) -> {
            dev.ksim.sdk.Kernel.preempt_disable();
            return 0;
        };
        k.register_kprobe(p);
        int after = k.run(() -> {
            Cpu.current().call(k.function("vfs_read"), 3, 0, 0, 0);
            int count = Cpu.current().preemptCount();
            dev.ksim.sdk.Kernel.preempt_enable();
            return count;
        });
        assertEquals(1, after, "irqentry_nmi_exit() takes back only its own NMI and hardirq counts");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void interruptsComeBackAsTheTrapFoundThem(Arch arch) {
        boot(arch);
        long[] flags = new long[1];
        Kprobe p = new Kprobe("vfs_read");
        p.pre_handler = (kp, regs) -> {
            flags[0] = dev.ksim.sdk.Kernel.local_irq_save();
            return 0;
        };
        k.register_kprobe(p);
        List<Boolean> off = k.run(() -> {
            Cpu c = Cpu.current();
            List<Boolean> states = new ArrayList<>();
            c.call(k.function("vfs_read"), 3, 0, 0, 0);
            states.add(c.irqsDisabled);
            c.irqsDisabled = true;
            c.call(k.function("vfs_read"), 3, 0, 0, 0);
            states.add(c.irqsDisabled);
            c.irqsDisabled = false;
            return states;
        });
        assertEquals(List.of(false, true), off);
        long ifBit = arch == Arch.X86_64 ? 0x200 : 0x80;
        assertEquals(arch == Arch.X86_64 ? 0 : ifBit, flags[0] & ifBit, "inside the trap interrupts are masked");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void handlersSeeAndChangeArguments(Arch arch) {
        boot(arch);
        KFunction f = k.function("vfs_mkdir");
        f.bind(cpu -> cpu.arg(1) * 10);
        Kprobe p = new Kprobe("vfs_mkdir");
        AtomicLong seenArg = new AtomicLong();
        p.pre_handler = (kp, regs) -> {
            seenArg.set(Kprobes.regs_get_kernel_argument(regs, 1));
            regs.setKernelArgument(1, 7);
            return 0;
        };
        k.register_kprobe(p);
        assertEquals(70, k.call("vfs_mkdir", 0, 5, 0, 0));
        assertEquals(5, seenArg.get());
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void probeAtRetSeesTheReturnValueAndMayChangeIt(Arch arch) {
        boot(arch);
        KFunction f = k.function("rw_verify_area");
        f.bind(cpu -> 42);
        Kprobe p = new Kprobe();
        p.addr = f.insnAddress(f.lastInsn());
        AtomicLong seen = new AtomicLong();
        p.pre_handler = (kp, regs) -> {
            seen.set(Kprobes.regs_return_value(regs));
            regs.setReturnValue(-13);
            return 0;
        };
        assertEquals(0, k.register_kprobe(p));
        assertEquals(-13, k.call("rw_verify_area"));
        assertEquals(42, seen.get());
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void probeOnACallInstructionStepsIntoTheCallee(Arch arch) {
        boot(arch);
        KFunction f = k.function("ksys_read");
        Kprobe p = new Kprobe();
        p.addr = f.insnAddress(f.callInsnIndex(0));
        AtomicLong post = new AtomicLong();
        AtomicLong lr = new AtomicLong();
        p.post_handler = (kp, regs, flags) -> {
            post.set(regs.instructionPointer());
            lr.set(regs instanceof Arm64PtRegs a ? a.regs[30] : 0);
        };
        assertEquals(0, k.register_kprobe(p));
        AtomicInteger calls = new AtomicInteger();
        KFunction vfsRead = k.function("vfs_read");
        vfsRead.bind(cpu -> calls.incrementAndGet());
        f.bind(cpu -> cpu.call(vfsRead, cpu.arg(0), cpu.arg(1), cpu.arg(2), 0));
        k.call("ksys_read", 1, 2, 3);
        assertEquals(addr("vfs_read"), post.get(), "the emulated call leaves ip at the callee");
        assertEquals(1, calls.get());
        if (arch == Arch.ARM64) {
            assertEquals(p.addr + 4, lr.get(), "bl sets the link register");
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void preHandlerReturningNonZeroAfterMovingIpRedirects(Arch arch) {
        boot(arch);
        AtomicInteger original = new AtomicInteger();
        AtomicInteger replacement = new AtomicInteger();
        k.function("vfs_unlink").bind(cpu -> original.incrementAndGet());
        k.function("vfs_rmdir").bind(cpu -> 100 + replacement.incrementAndGet());
        Kprobe p = new Kprobe("vfs_unlink");
        AtomicInteger posts = new AtomicInteger();
        p.pre_handler = (kp, regs) -> {
            regs.setInstructionPointer(addr("vfs_rmdir"));
            return 1;
        };
        p.post_handler = (kp, regs, f) -> posts.incrementAndGet();
        k.register_kprobe(p);
        assertEquals(101, k.call("vfs_unlink", 0, 0, 0, 0));
        assertEquals(0, original.get(), "the probed function was replaced");
        assertEquals(0, posts.get(), "no single-step, no post_handler");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void redirectingToARetOverridesTheReturnValue(Arch arch) {
        boot(arch);
        AtomicInteger ran = new AtomicInteger();
        KFunction target = k.function("security_file_open");
        target.bind(cpu -> ran.incrementAndGet());
        KFunction justReturn = k.function("sched_fork");
        long ret = justReturn.insnAddress(justReturn.lastInsn());
        Kprobe p = new Kprobe("security_file_open");
        p.pre_handler = (kp, regs) -> {
            regs.setReturnValue(-1);
            regs.setInstructionPointer(ret);
            return 1;
        };
        k.register_kprobe(p);
        assertEquals(-1, k.call("security_file_open", 0));
        assertEquals(0, ran.get());
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void severalProbesAtOneAddressRunNewestFirst(Arch arch) {
        boot(arch);
        List<String> order = new ArrayList<>();
        Kprobe first = new Kprobe("vfs_read");
        first.pre_handler = (kp, r) -> order.add("pre1") == false ? 1 : 0;
        first.post_handler = (kp, r, f) -> order.add("post1");
        Kprobe second = new Kprobe("vfs_read");
        second.pre_handler = (kp, r) -> order.add("pre2") == false ? 1 : 0;
        second.post_handler = (kp, r, f) -> order.add("post2");
        Kprobe[] running = new Kprobe[1];
        Kprobe third = new Kprobe("vfs_read");
        third.pre_handler = (kp, r) -> {
            running[0] = Kprobes.kprobe_running();
            order.add("pre3");
            return 0;
        };
        assertEquals(0, k.register_kprobe(first));
        assertEquals(0, k.register_kprobe(second));
        assertEquals(0, k.register_kprobe(third));
        k.call("vfs_read", 0, 0, 0, 0);
        assertEquals(List.of("pre3", "pre2", "pre1", "post2", "post1"), order);
        assertNotNull(running[0]);
        assertTrue(running[0] != third && running[0] != first && running[0] != second,
                "kprobe_running() is the aggregator");
        String list = k.read("/sys/kernel/debug/kprobes/list");
        assertEquals(3, list.lines().count(), list);

        order.clear();
        second.pre_handler = (kp, r) -> {
            order.add("pre2-stops");
            r.setInstructionPointer(kp.addr + (arch == Arch.X86_64 ? 1 : 4));
            return 1;
        };
        k.call("vfs_read", 0, 0, 0, 0);
        assertEquals(List.of("pre3", "pre2-stops"), order, "non-zero stops the rest, no step, no posts");

        order.clear();
        second.pre_handler = (kp, r) -> order.add("pre2") == false ? 1 : 0;
        assertEquals(0, k.disable_kprobe(third));
        k.call("vfs_read", 0, 0, 0, 0);
        assertEquals(List.of("pre2", "pre1", "post2", "post1"), order);
        assertEquals(1, k.kprobes().missStats(third).disabled(), "a disabled probe at a live address");
        assertEquals(0, k.disable_kprobe(first));
        assertEquals(0, k.disable_kprobe(second));
        order.clear();
        k.call("vfs_read", 0, 0, 0, 0);
        assertEquals(List.of(), order, "all children disabled: the address is disarmed");
        assertEquals(0, k.enable_kprobe(first));
        k.call("vfs_read", 0, 0, 0, 0);
        assertEquals(List.of("pre1", "post1"), order);
        k.unregister_kprobes(new Kprobe[] {first, second, third}, 3);
        assertEquals("", k.read("/sys/kernel/debug/kprobes/list"));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aProbeHitInsideAHandlerIsSkippedAndCounted(Arch arch) {
        boot(arch);
        AtomicInteger innerRuns = new AtomicInteger();
        Kprobe inner = new Kprobe("kmem_cache_alloc");
        inner.pre_handler = (kp, r) -> innerRuns.incrementAndGet() * 0;
        Kprobe inner2 = new Kprobe("kmem_cache_alloc");
        inner2.pre_handler = (kp, r) -> innerRuns.incrementAndGet() * 0;
        KFunction alloc = k.function("kmem_cache_alloc");
        Kprobe outer = new Kprobe("vfs_read");
        outer.pre_handler = (kp, r) -> {
            Cpu.current().call(alloc, 1, 2);
            return 0;
        };
        outer.post_handler = (kp, r, f) -> Cpu.current().call(alloc, 1, 2);
        assertEquals(0, k.register_kprobe(inner));
        assertEquals(0, k.register_kprobe(inner2));
        assertEquals(0, k.register_kprobe(outer));
        k.call("vfs_read", 0, 0, 0, 0);
        assertEquals(0, innerRuns.get());
        assertEquals(2, inner.nmissed, "pre and post each hit it once");
        assertEquals(2, inner2.nmissed, "a miss counts on every probe at the address");
        assertEquals(2, k.kprobes().missStats(inner).recursion());
        String misses = k.read("/sys/kernel/debug/ksim/kprobe_misses");
        assertTrue(misses.lines().anyMatch(l -> List.of(l.trim().split("\\s+"))
                .equals(List.of("kmem_cache_alloc+0x0", "k", "2", "2", "0", "0"))), misses);
        assertEquals(0, outer.nmissed);
        k.call("kmem_cache_alloc", 1, 2);
        assertEquals(2, innerRuns.get(), "outside handlers it fires normally");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aProbeHitWhileSteppingAReenteredProbeIsUnrecoverable(Arch arch) {
        boot(arch);
        KFunction a = k.function("update_curr");
        KFunction b = k.function("scheduler_tick");
        Kprobe pa = new Kprobe("update_curr");
        Kprobe pb = new Kprobe("scheduler_tick");
        Kprobe outer = new Kprobe("vfs_read");
        assertEquals(0, k.register_kprobes(new Kprobe[] {pa, pb, outer}, 3));
        // A simulated NMI during each single-step runs probed code: on x86 the first lands in a HIT_SS
        // step (missed, stepped as REENTER), the second in that REENTER step: fatal.
        k.kprobes().setSingleStepInterrupt((cpu, stepping) -> {
            if (stepping == outer) {
                cpu.call(a, 0);
            } else if (stepping == pa) {
                cpu.call(b);
            }
        });
        assertThrows(TaskKilled.class, () -> k.call("vfs_read", 0, 0, 0, 0));
        k.kprobes().setSingleStepInterrupt(null);
        String log = k.log().messages();
        if (arch == Arch.X86_64) {
            assertEquals(1, pa.nmissed);
            assertTrue(log.contains("Unrecoverable kprobe detected.\n"), log);
            assertTrue(log.contains("kprobes: Dump kprobe:\n.symbol_name = scheduler_tick, .offset = 0, .addr = "
                    + "scheduler_tick+0x0/0x"), log);
        } else {
            assertEquals(0, pa.nmissed, "arm64: reentering a step is fatal at once");
            assertTrue(log.contains("kprobes: Failed to recover from reentered kprobes.\n"), log);
            assertTrue(log.contains(".symbol_name = update_curr, .offset = 0, .addr = update_curr+0x0/0x"), log);
        }
        assertTrue(log.contains("kernel BUG at "), log);
        assertTrue(k.taint().test(Taint.Flag.DIE));
        AtomicInteger hits = new AtomicInteger();
        outer.pre_handler = (kp, r) -> hits.incrementAndGet() * 0;
        k.call("vfs_read", 0, 0, 0, 0);
        assertEquals(1, hits.get(), "the kernel keeps running after the BUG");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aHandlerThatThrowsOopsesTheTaskAndTheKernelGoesOn(Arch arch) {
        boot(arch);
        Kprobe p = new Kprobe("vfs_read");
        String[] nothing = {null};
        p.pre_handler = (kp, r) -> nothing[0].length();
        k.register_kprobe(p);
        assertThrows(TaskKilled.class, () -> k.call("vfs_read", 0, 0, 0, 0));
        String log = k.log().messages();
        assertTrue(log.contains(arch == Arch.X86_64 ? "BUG: kernel NULL pointer dereference, address: 0000000000000000"
                : "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000"), log);
        assertTrue(log.contains("[#1] PREEMPT SMP"), log);
        assertTrue(k.taint().test(Taint.Flag.DIE));
        AtomicInteger hits = new AtomicInteger();
        p.pre_handler = (kp, r) -> hits.incrementAndGet() * 0;
        k.call("vfs_read", 0, 0, 0, 0);
        assertEquals(1, hits.get());
        assertNull(k.run(Kprobes::kprobe_running));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void debugfsEnabledDisarmsAndRearmsEverything(Arch arch) {
        boot(arch);
        AtomicInteger hits = new AtomicInteger();
        Kprobe p = new Kprobe("vfs_read");
        p.pre_handler = (kp, r) -> hits.incrementAndGet() * 0;
        Kprobe q = new Kprobe("vfs_write");
        q.flags = Kprobe.KPROBE_FLAG_DISABLED;
        k.register_kprobe(p);
        k.register_kprobe(q);
        assertEquals("1\n", k.read("/sys/kernel/debug/kprobes/enabled"));
        assertEquals(0, k.write("/sys/kernel/debug/kprobes/enabled", "0\n"));
        assertEquals("0\n", k.read("/sys/kernel/debug/kprobes/enabled"));
        k.call("vfs_read", 0, 0, 0, 0);
        assertEquals(0, hits.get());
        Kprobe r = new Kprobe("vfs_open");
        assertEquals(0, k.register_kprobe(r), "registering while disarmed records the probe");
        assertEquals(0, k.write("/sys/kernel/debug/kprobes/enabled", "on"));
        k.call("vfs_read", 0, 0, 0, 0);
        assertEquals(1, hits.get());
        assertEquals(-22, k.write("/sys/kernel/debug/kprobes/enabled", "maybe"));
        String log = k.log().messages();
        assertTrue(log.contains("kprobes: Kprobes globally disabled\n"), log);
        assertTrue(log.contains("kprobes: Kprobes globally enabled\n"), log);
        assertTrue(k.read("/sys/kernel/debug/kprobes/list").contains("vfs_write+0x0    [DISABLED]"),
                "per-probe DISABLED survives global re-arming");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void debugfsListUsesTheKernelFormat(Arch arch) {
        boot(arch);
        Kprobe p = new Kprobe("kernel_clone");
        k.register_kprobe(p);
        Kprobe q = new Kprobe("vfs_read");
        q.offset = arch == Arch.X86_64 ? 1 : 4;
        k.register_kprobe(q);
        String list = k.read("/sys/kernel/debug/kprobes/list");
        assertTrue(list.contains(String.format("%016x  k  kernel_clone+0x0    %n", p.addr).replace("\r", "")), list);
        assertTrue(list.contains(String.format("%016x  k  vfs_read+0x%x    %n", q.addr, q.offset).replace("\r", "")),
                list);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void kallsymsListsSymbolsAndInsnPages(Arch arch) {
        boot(arch);
        String ks = k.read("/proc/kallsyms");
        long a = addr("kernel_clone");
        assertTrue(ks.contains(String.format("%016x T kernel_clone%n", a).replace("\r", "")));
        assertTrue(ks.contains(" D jiffies\n"));
        if (arch == Arch.X86_64) {
            assertTrue(ks.contains(String.format("%016x t __pfx_kernel_clone%n", a - 16).replace("\r", "")));
        }
        k.register_kprobe(new Kprobe("kernel_clone"));
        assertTrue(k.read("/proc/kallsyms").contains(" t kprobe_insn_page\t[__builtin__kprobes]\n"));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void noHandlerRunsAfterUnregisterEvenForAHitInProgress(Arch arch) {
        boot(arch);
        AtomicInteger hits = new AtomicInteger();
        Kprobe p = new Kprobe("vfs_read");
        p.pre_handler = (kp, r) -> hits.incrementAndGet() * 0;
        k.register_kprobe(p);
        k.call("vfs_read", 0, 0, 0, 0);
        k.unregister_kprobe(p);
        k.call("vfs_read", 0, 0, 0, 0);
        assertEquals(1, hits.get());
        assertSame(null, k.run(Kprobes::kprobe_running));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void returningNonZeroWithoutMovingPcOnArm64SpinsUntilTheWatchdogBites(Arch arch) {
        boot(arch);
        Kprobe p = new Kprobe("vfs_read");
        p.pre_handler = (kp, r) -> 1;
        k.register_kprobe(p);
        if (arch == Arch.X86_64) {
            k.call("vfs_read", 0, 0, 0, 0);
            assertTrue(!k.taint().test(Taint.Flag.SOFTLOCKUP), "x86 resumes at addr + 1: the next instruction");
            return;
        }
        assertThrows(TaskKilled.class, () -> k.call("vfs_read", 0, 0, 0, 0));
        assertTrue(k.log().messages().contains("watchdog: BUG: soft lockup - CPU#0 stuck for "));
        assertTrue(k.taint().test(Taint.Flag.SOFTLOCKUP));
    }
}
