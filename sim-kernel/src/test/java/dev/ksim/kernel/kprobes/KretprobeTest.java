package dev.ksim.kernel.kprobes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelTestSupport;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.Task;
import dev.ksim.kernel.proc.Process;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Kernel;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kprobes;
import dev.ksim.sdk.Kretprobe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** kretprobe rules: registration, instances, the hijacked return slot, in-flight unregistering. */
class KretprobeTest extends KernelTestSupport {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void registrationRules(Arch arch) {
        boot(arch);
        Kretprobe off = new Kretprobe("vfs_read");
        off.kp.offset = arch == Arch.X86_64 ? 1 : 4;
        assertEquals(-Errno.EINVAL, k.register_kretprobe(off), "function entry only");
        assertEquals(-Errno.ENOENT, k.register_kretprobe(new Kretprobe("no_such_fn")));
        Kretprobe big = new Kretprobe("vfs_read");
        big.data_size = 4097;
        assertEquals(-Errno.E2BIG, k.register_kretprobe(big));
        big.data_size = -1;
        assertEquals(-Errno.E2BIG, k.register_kretprobe(big), "size_t: -1 is huge");
        Kretprobe switchTo = new Kretprobe("__switch_to");
        assertEquals(arch == Arch.X86_64 ? -Errno.EINVAL : 0, k.register_kretprobe(switchTo),
                "kretprobe_blacklist: __switch_to on x86_64");
        k.unregister_kretprobe(switchTo);
        assertEquals(-Errno.EINVAL, k.register_kretprobe(new Kretprobe("notifier_call_chain")));
        assertEquals(-Errno.EINVAL, k.register_kretprobe(null));
        Kretprobe huge = new Kretprobe("vfs_read");
        huge.maxactive = Integer.MAX_VALUE;
        assertEquals(-Errno.ENOMEM, k.register_kretprobe(huge), "the preallocation fails, as kzalloc would");
        Kretprobe rp = new Kretprobe("vfs_read");
        rp.data_size = 4096;
        assertEquals(0, k.register_kretprobe(rp));
        assertEquals(10, rp.maxactive, "default max(10, 2 * NR_CPUS) is written back (2 CPUs)");
        assertTrue(k.read("/sys/kernel/debug/kprobes/list").contains("  r  vfs_read+0x0"));
        rp.kp.symbol_name = null;
        assertEquals(-Errno.EINVAL, k.register_kretprobe(rp), "already registered");
        k.unregister_kretprobe(rp);
        assertEquals("", k.read("/sys/kernel/debug/kprobes/list"));
    }

    @Test
    void defaultMaxactiveFollowsTheCpuCount() {
        boot(BootOptions.defaults().withCpus(8));
        Kretprobe rp = new Kretprobe("vfs_read");
        assertEquals(0, k.register_kretprobe(rp));
        assertEquals(16, rp.maxactive);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void entryHandlerCanSkipACallAndDataSurvivesToTheReturn(Arch arch) {
        boot(arch);
        KFunction f = k.function("vfs_mkdir");
        f.bind(cpu -> cpu.arg(1) * 2);
        List<String> seen = new ArrayList<>();
        Kretprobe rp = new Kretprobe("vfs_mkdir");
        rp.data_size = 16;
        rp.entry_handler = (ri, regs) -> {
            long arg = Kprobes.regs_get_kernel_argument(regs, 1);
            ri.data.putLong(8, arg * 100);
            return arg == 3 ? 1 : 0;
        };
        rp.handler = (ri, regs) -> {
            seen.add(Kprobes.regs_return_value(regs) + "/" + ri.data.getLong(8) + "/" + (ri.rp == rp) + "/"
                    + (Kprobes.kprobe_running() == rp.kp) + "/" + Kernel.preemptible());
            return 0;
        };
        assertEquals(0, k.register_kretprobe(rp));
        assertEquals(10, k.call("vfs_mkdir", 0, 5, 0, 0));
        assertEquals(6, k.call("vfs_mkdir", 0, 3, 0, 0));
        assertEquals(List.of("10/500/true/true/false"), seen);
        assertEquals(0, rp.nmissed, "an entry_handler skip is not a miss");
        assertEquals(10, k.kprobes().freeInstances(rp));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void theReturnSlotHoldsTheTrampolineWhileTheFunctionRuns(Arch arch) {
        boot(arch);
        KFunction f = k.function("vfs_rename");
        long trampoline = addr("__kretprobe_trampoline");
        AtomicLong inside = new AtomicLong();
        AtomicLong traced = new AtomicLong();
        f.bind(cpu -> {
            inside.set(Kernel.__builtin_return_address(0));
            long[] buf = new long[8];
            Kernel.stack_trace_save(buf, 8, 0);
            traced.set(buf[1]);
            return 0;
        });
        KFunction caller = k.function("iterate_dir");
        caller.bind(cpu -> cpu.call(f, 0));
        long before = k.run(() -> {
            Cpu.current().call(caller, 0);
            return inside.get();
        });
        Kretprobe rp = new Kretprobe("vfs_rename");
        rp.handler = (ri, regs) -> 0;
        assertEquals(0, k.register_kretprobe(rp));
        k.run(() -> Cpu.current().call(caller, 0));
        assertEquals(trampoline, inside.get(), "__builtin_return_address sees the trampoline");
        assertEquals(before, traced.get(), "the unwinder resolves it to the real return address");
        assertTrue(before != trampoline);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void severalKretprobesAndNestedFunctionsUnwindInOrder(Arch arch) {
        boot(arch);
        KFunction inner = k.function("vfs_unlink");
        KFunction outer = k.function("do_unlinkat");
        inner.bind(cpu -> 1);
        outer.bind(cpu -> cpu.call(inner, 0, 0, 0, 0) + 1);
        List<String> order = new ArrayList<>();
        Kretprobe a = new Kretprobe("do_unlinkat");
        a.entry_handler = (ri, regs) -> order.add("entry a") ? 0 : 0;
        a.handler = (ri, regs) -> order.add("ret a=" + Kprobes.regs_return_value(regs)) ? 0 : 0;
        Kretprobe b = new Kretprobe("do_unlinkat");
        b.entry_handler = (ri, regs) -> order.add("entry b") ? 0 : 0;
        b.handler = (ri, regs) -> order.add("ret b=" + Kprobes.regs_return_value(regs)) ? 0 : 0;
        Kretprobe c = new Kretprobe("vfs_unlink");
        c.handler = (ri, regs) -> order.add("ret inner=" + Kprobes.regs_return_value(regs)) ? 0 : 0;
        assertEquals(0, k.register_kretprobes(new Kretprobe[] {a, b, c}, 3));
        assertEquals(2, (long) k.run(() -> Cpu.current().call(outer, 0, 0)));
        assertEquals(List.of("entry b", "entry a", "ret inner=1", "ret a=2", "ret b=2"), order,
                "entry runs newest-registered first; returns pop the task's list: newest instance first");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void noFreeInstanceIsAMissAndSkipsTheEntryHandler(Arch arch) throws Exception {
        boot(arch);
        KFunction f = k.function("vfs_open");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> holder = new AtomicReference<>();
        f.bind(cpu -> {
            if (Thread.currentThread() == holder.get()) {
                entered.countDown();
                cpu.blocking(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            return 7;
        });
        AtomicInteger entries = new AtomicInteger();
        AtomicInteger returns = new AtomicInteger();
        Kretprobe rp = countingKretprobe("vfs_open", entries, returns);
        rp.maxactive = 1;
        assertEquals(0, k.register_kretprobe(rp));
        Task t = k.newTask("holder", false);
        Thread th = new Thread(() -> k.onCpu(1, t, () -> Cpu.current().call(f, 0, 0)));
        holder.set(th);
        th.start();
        entered.await();
        assertEquals(7, k.call("vfs_open", 0, 0));
        assertEquals(1, rp.nmissed);
        assertEquals(1, k.kprobes().missStats(rp.kp).noInstance());
        assertTrue(k.read("/sys/kernel/debug/ksim/kprobe_misses").contains("vfs_open+0x0"));
        assertEquals(1, entries.get(), "no entry_handler for the missed call");
        assertEquals(0, returns.get());
        release.countDown();
        th.join();
        assertEquals(1, returns.get());
        assertEquals(1, k.kprobes().freeInstances(rp));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aKretprobedCallFromAProbeHandlerIsAMissOnTheProbeAndTakesNoInstance(Arch arch) {
        AtomicInteger entries = new AtomicInteger();
        AtomicInteger returns = new AtomicInteger();
        Kretprobe rp = bootWithOneInstanceKretprobe(arch, "vfs_open", entries, returns);
        KFunction open = k.function("vfs_open");
        Kprobe outer = new Kprobe("vfs_read");
        outer.pre_handler = (kp, regs) -> {
            Cpu.current().call(open, 0, 0);
            return 0;
        };
        assertEquals(0, k.register_kprobe(outer));
        k.call("vfs_read", 0, 0, 0, 0);
        assertEquals(1, rp.kp.nmissed, "the entry probe is reentered: a recursion miss");
        assertEquals(0, rp.nmissed, "no instance was wanted, so none was missing");
        assertEquals(0, entries.get());
        assertEquals(1, k.kprobes().freeInstances(rp), "the only instance is still free");
        k.call("vfs_open", 0, 0);
        assertEquals(1, entries.get(), "outside handlers the single instance serves the call");
        assertEquals(1, returns.get());
        assertEquals(0, rp.nmissed);
        assertEquals(1, k.kprobes().freeInstances(rp));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aPreHandlerPutOnTheEntryProbeAfterRegistrationRunsInsteadAndTakesNoInstance(Arch arch) {
        AtomicInteger entries = new AtomicInteger();
        AtomicInteger returns = new AtomicInteger();
        Kretprobe rp = bootWithOneInstanceKretprobe(arch, "vfs_open", entries, returns);
        AtomicInteger pre = new AtomicInteger();
        rp.kp.pre_handler = (kp, regs) -> pre.incrementAndGet() * 0;
        k.call("vfs_open", 0, 0);
        k.call("vfs_open", 0, 0);
        assertEquals(2, pre.get(), "the probe's pre_handler is what runs, as the kernel calls kp->pre_handler");
        assertEquals(0, entries.get());
        assertEquals(0, returns.get());
        assertEquals(0, rp.nmissed, "pre_handler_kretprobe never ran, so no instance was missing");
        assertEquals(1, k.kprobes().freeInstances(rp), "the instance taken at the breakpoint went back");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void anotherKretprobesEntryHandlerOnTheProbeServesItsOwnKretprobeFromItsOwnInstances(Arch arch) {
        AtomicInteger entries = new AtomicInteger();
        AtomicInteger returns = new AtomicInteger();
        Kretprobe open = bootWithOneInstanceKretprobe(arch, "vfs_open", entries, returns);
        AtomicInteger readEntries = new AtomicInteger();
        AtomicInteger readReturns = new AtomicInteger();
        Kretprobe read = registerOneInstanceKretprobe("vfs_read", readEntries, readReturns);
        read.kp.pre_handler = open.kp.pre_handler;
        k.call("vfs_read", 0, 0, 0, 0);
        assertEquals(1, entries.get());
        assertEquals(1, returns.get(), "entry and return handlers of one kretprobe");
        assertEquals(0, readEntries.get() + readReturns.get());
        assertEquals(0, open.nmissed + read.nmissed);
        assertEquals(1, k.kprobes().freeInstances(open));
        assertEquals(1, k.kprobes().freeInstances(read));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void unregisteringWhileACallIsInFlightSkipsItsReturnHandler(Arch arch) throws Exception {
        boot(arch);
        KFunction f = k.function("vfs_open");
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        f.bind(cpu -> {
            entered.countDown();
            cpu.blocking(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return 7;
        });
        AtomicInteger returns = new AtomicInteger();
        Kretprobe rp = new Kretprobe("vfs_open");
        rp.handler = (ri, regs) -> returns.incrementAndGet() * 0;
        assertEquals(0, k.register_kretprobe(rp));
        Task t = k.newTask("sleeper", false);
        AtomicLong result = new AtomicLong();
        Thread th = new Thread(() -> result.set(k.onCpu(1, t, () -> Cpu.current().call(f, 0, 0))));
        th.start();
        entered.await();
        k.unregister_kretprobe(rp);
        release.countDown();
        th.join();
        assertEquals(7, result.get(), "the function still returns to its caller");
        assertEquals(0, returns.get());
        assertEquals(-1, k.kprobes().freeInstances(rp));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void doExitNeverReturnsAndKeepsItsInstanceUntilReaped(Arch arch) {
        boot(arch);
        Process sh = k.spawn("/bin/sh");
        Process child = k.syscalls().byPid((int) sh.fork());
        AtomicInteger returns = new AtomicInteger();
        Kretprobe rp = new Kretprobe("do_exit");
        rp.handler = (ri, regs) -> returns.incrementAndGet() * 0;
        assertEquals(0, k.register_kretprobe(rp));
        child.exit(0);
        assertEquals(0, returns.get());
        assertEquals(rp.maxactive - 1, k.kprobes().freeInstances(rp), "the instance stays with the dead task");
        sh.wait4(-1);
        assertEquals(rp.maxactive, k.kprobes().freeInstances(rp), "recycled when the task is reaped");
        assertEquals(0, rp.nmissed);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aTaskKeepsNoUnregisteredKretprobeReachable(Arch arch) {
        boot(arch);
        Kretprobe rp = new Kretprobe("vfs_read");
        AtomicInteger returns = new AtomicInteger();
        rp.handler = (ri, regs) -> {
            returns.incrementAndGet();
            return 0;
        };
        assertEquals(0, k.register_kretprobe(rp));
        Task t = k.newTask("caller", false);
        KFunction f = k.function("vfs_read");
        k.onCpu(0, t, () -> Cpu.current().call(f, 0, 0, 0, 0));
        k.onCpu(0, t, () -> Cpu.current().call(f, 0, 0, 0, 0));
        assertEquals(2, returns.get());
        assertEquals(0, t.kretprobeDepth, "every instance left the task's list");
        k.unregister_kretprobe(rp);
        RetInstance stale = (RetInstance) t.kretprobeInstances;
        assertTrue(stale == null || stale.ri.rp == null, "the emptied list's old head forgets the kretprobe");
        assertEquals(0, t.kretprobeDepth);
    }

    /** A kretprobe whose entry and return handlers count their calls and return 0. */
    /** Boots arch with a registered counting kretprobe on symbol that has a single instance. */
    private Kretprobe bootWithOneInstanceKretprobe(Arch arch, String symbol, AtomicInteger entries,
            AtomicInteger returns) {
        boot(arch);
        return registerOneInstanceKretprobe(symbol, entries, returns);
    }

    /** Registers a counting kretprobe on symbol that has a single instance. */
    private Kretprobe registerOneInstanceKretprobe(String symbol, AtomicInteger entries, AtomicInteger returns) {
        Kretprobe rp = countingKretprobe(symbol, entries, returns);
        rp.maxactive = 1;
        assertEquals(0, k.register_kretprobe(rp));
        return rp;
    }

    private static Kretprobe countingKretprobe(String symbol, AtomicInteger entries, AtomicInteger returns) {
        Kretprobe rp = new Kretprobe(symbol);
        rp.entry_handler = (ri, regs) -> entries.incrementAndGet() * 0;
        rp.handler = (ri, regs) -> returns.incrementAndGet() * 0;
        return rp;
    }
}
