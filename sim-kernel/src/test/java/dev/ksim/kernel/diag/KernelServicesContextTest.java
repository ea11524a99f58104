package dev.ksim.kernel.diag;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelTestSupport;
import dev.ksim.kernel.SimKernel;
import dev.ksim.sdk.Kernel;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kprobes;
import dev.ksim.sdk.PerCpu;
import dev.ksim.sdk.Semaphore;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import dev.ksim.sdk.Maccess;
import dev.ksim.sdk.Mutex;
import dev.ksim.sdk.Spinlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The kernel services of issue-4 scope, each in and out of atomic context. */
class KernelServicesContextTest extends KernelTestSupport {
    private static final String BUG = "BUG: sleeping function called from invalid context at ";

    private void inHandler(String fn, Runnable body) {
        Kprobe p = new Kprobe(fn);
        p.pre_handler = (kp, regs) -> {
            body.run();
            return 0;
        };
        assertEquals(0, k.register_kprobe(p));
        k.call(fn, 0, 0, 0, 0);
        k.unregister_kprobe(p);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void gfpKernelInAHandlerReportsAndGfpAtomicDoesNot(Arch arch) {
        boot(arch);
        long[] got = new long[2];
        inHandler("vfs_read", () -> got[0] = Kernel.kmalloc(64, Kernel.GFP_ATOMIC));
        assertFalse(k.log().messages().contains(BUG), k.log().messages());
        inHandler("vfs_write", () -> got[1] = Kernel.kzalloc(64, Kernel.GFP_KERNEL));
        assertTrue(k.log().messages().contains(BUG + "include/linux/sched/mm.h:306\n"), k.log().messages());
        assertTrue(got[0] != 0 && got[1] != 0, "both allocations still succeed");
        k.run(() -> {
            byte[] b = new byte[64];
            assertEquals(0, Maccess.copy_from_kernel_nofault(b, got[1], 64));
            assertArrayEquals(new byte[64], b, "kzalloc zeroes");
            Kernel.kfree(got[0]);
            Kernel.kfree(got[1]);
            assertEquals(16, Kernel.kmalloc(0, Kernel.GFP_KERNEL), "ZERO_SIZE_PTR");
            Kernel.kfree(16);
        });
        assertTrue(k.taint().test(Taint.Flag.WARN));
    }

    @Test
    void gfpKernelInProcessContextIsQuiet() {
        boot(Arch.X86_64);
        k.run(() -> Kernel.kfree(Kernel.kmalloc(128, Kernel.GFP_KERNEL)));
        assertFalse(k.log().messages().contains("BUG:"), k.log().messages());
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aSpinlockMakesItsHolderAtomicAndSleepingUnderItReports(Arch arch) {
        boot(arch);
        Spinlock lock = new Spinlock();
        k.run(() -> {
            assertFalse(Kernel.in_atomic());
            Kernel.spin_lock(lock);
            assertTrue(Kernel.in_atomic() && !Kernel.preemptible() && lock.isLocked());
            assertFalse(Kernel.spin_trylock(lock), "held");
            Kernel.msleep(1);
            Kernel.spin_unlock(lock);
            assertFalse(Kernel.in_atomic() || lock.isLocked());

            long flags = Kernel.spin_lock_irqsave(lock);
            assertTrue(Kernel.irqs_disabled());
            Kernel.spin_unlock_irqrestore(lock, flags);
            assertFalse(Kernel.irqs_disabled(), "restored to enabled");
            assertFalse(Kernel.in_atomic());
        });
        String log = k.log().messages();
        assertTrue(log.contains(BUG + "kernel/time/timer.c:2159\n"
                + "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 1, name: init\n"
                + "preempt_count: 1, expected: 0\n"), log);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void irqsaveNestsAndRestoresTheOuterState(Arch arch) {
        boot(arch);
        k.run(() -> {
            long outer = Kernel.local_irq_save();
            long inner = Kernel.local_irq_save();
            assertNotEquals(outer, inner, "the inner save saw IRQs already off");
            Kernel.local_irq_restore(inner);
            assertTrue(Kernel.irqs_disabled(), "still off: the outer section");
            Kernel.local_irq_restore(outer);
            assertFalse(Kernel.irqs_disabled());
        });
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void mutexLockInAHandlerReportsAtMutexC(Arch arch) {
        boot(arch);
        Mutex m = new Mutex();
        inHandler("vfs_read", () -> {
            Kernel.mutex_lock(m);
            Kernel.mutex_unlock(m);
        });
        assertTrue(k.log().messages().contains(BUG + "kernel/locking/mutex.c:580\n"), k.log().messages());
        k.run(() -> {
            Kernel.mutex_lock(m);
            assertEquals(0, Kernel.mutex_trylock(m));
            Kernel.mutex_unlock(m);
            assertEquals(1, Kernel.mutex_trylock(m));
            Kernel.mutex_unlock(m);
        });
        assertEquals(1, k.log().messages().split("invalid context", -1).length - 1, "only the handler's call");
    }

    @Test
    void getRandomRepeatsForTheSameDeterministicSeed() {
        long[] a = new long[4];
        long[] b = new long[4];
        for (long[] out : new long[][] {a, b}) {
            try (SimKernel kk = SimKernel.boot(BootOptions.defaults().deterministic(42))) {
                kk.run(() -> {
                    for (int i = 0; i < out.length; i++) {
                        out[i] = Kernel.get_random_u64();
                    }
                });
            }
        }
        assertArrayEquals(a, b);
        assertNotEquals(a[0], a[1]);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void copyFromUserReadsTheCallersMemoryAndMayFaultSoAHandlerReports(Arch arch) {
        boot(arch);
        Process sh = k.spawn("/bin/sh");
        Kprobe p = new Kprobe("do_sys_openat2");
        String[] seen = new String[1];
        long[] bad = new long[1];
        p.pre_handler = (kp, regs) -> {
            byte[] b = new byte[11];
            long left = Kernel.copy_from_user(b, Kprobes.regs_get_kernel_argument(regs, 1), b.length);
            seen[0] = left + ":" + new String(b, StandardCharsets.US_ASCII);
            bad[0] = Kernel.copy_from_user(new byte[8], 0x10, 8);
            return 0;
        };
        assertEquals(0, k.register_kprobe(p));
        sh.open("/etc/passwd", Process.O_RDONLY, 0);
        assertEquals("0:/etc/passwd", seen[0]);
        assertEquals(8, bad[0], "an unmapped user address copies nothing");
        assertTrue(k.log().messages().contains(BUG + "include/linux/uaccess.h:161\n"), k.log().messages());
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void perCpuCopiesAreSeparateAndCurrentIsTheRunningTask(Arch arch) {
        boot(arch);
        PerCpu<AtomicLong> hits = k.run(() -> new PerCpu<>(AtomicLong::new));
        Kprobe p = new Kprobe("vfs_read");
        String[] comm = new String[1];
        p.pre_handler = (kp, regs) -> {
            hits.this_cpu_ptr().incrementAndGet();
            comm[0] = Kernel.current().comm();
            return 0;
        };
        k.register_kprobe(p);
        k.onCpu(1, k.idleTask(1), () -> k.call("vfs_read", 0, 0, 0, 0));
        k.call("vfs_read", 0, 0, 0, 0);
        k.call("vfs_read", 0, 0, 0, 0);
        assertEquals(2, hits.per_cpu_ptr(0).get());
        assertEquals(1, hits.per_cpu_ptr(1).get());
        assertEquals("init", comm[0]);
        k.run(() -> {
            int cpu = Kernel.get_cpu();
            assertTrue(Kernel.in_atomic());
            Kernel.put_cpu();
            assertEquals(0, cpu);
            assertEquals(2, Kernel.num_possible_cpus());
        });
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void semaphoresDownMaySleepUpAndTrylockNever(Arch arch) {
        boot(arch);
        Semaphore sem = new Semaphore(1);
        int[] tries = new int[2];
        inHandler("vfs_read", () -> {
            tries[0] = Kernel.down_trylock(sem);
            tries[1] = Kernel.down_trylock(sem);
            Kernel.up(sem);
        });
        assertEquals(0, tries[0]);
        assertEquals(1, tries[1], "none left: 1, as the kernel returns");
        assertFalse(k.log().messages().contains(BUG), k.log().messages());
        k.run(() -> {
            Kernel.down(sem);
            Kernel.up(sem);
        });
        assertFalse(k.log().messages().contains(BUG), "down in process context is fine");
        inHandler("vfs_write", () -> {
            Kernel.down(sem);
            Kernel.up(sem);
        });
        assertTrue(k.log().messages().contains(BUG + "kernel/locking/semaphore.c:57\n"), k.log().messages());
        assertEquals(1, sem.count());
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void usleepRangeAndCondReschedInAHandlerReport(Arch arch) {
        boot(BootOptions.defaults().withArch(arch).withCpus(2).deterministic(5));
        int[] line = new int[1];
        inHandler("vfs_read", () -> Kernel.usleep_range(10, 20));
        assertTrue(k.log().messages().contains(BUG + "kernel/time/timer.c:2198\n"), k.log().messages());
        k.scheduler().advance(2_000_000_000L);
        inHandler("vfs_write", () -> {
            line[0] = new Throwable().getStackTrace()[0].getLineNumber() + 1;
            Kernel.cond_resched();
        });
        assertTrue(k.log().messages().contains(BUG + "dev/ksim/kernel/diag/KernelServicesContextTest.java:" + line[0]
                + "\n"), k.log().messages());
        k.scheduler().advance(2_000_000_000L);
        long before = k.ktime_get_ns();
        inHandler("vfs_read", () -> Kernel.ssleep(1));
        assertTrue(k.log().messages().contains(BUG + "kernel/time/timer.c:2159\n"), "ssleep is msleep");
        assertTrue(k.ktime_get_ns() - before >= 1_000_000_000L, "the CPU spun the second away");
        k.run(() -> Kernel.ssleep(1));
        assertEquals(1, k.log().messages().split("timer.c:2159", -1).length - 1, "quiet in process context");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void copyToUserWritesTheCallersMemoryAndOutsideAHandlerIsQuiet(Arch arch) {
        boot(arch);
        Process sh = k.spawn("/bin/sh");
        long[] left = new long[2];
        byte[] back = new byte[5];
        k.onCpu(0, sh.task, () -> {
            long buf = sh.userMemory().regions().stream().filter(r -> r.name().equals("[scratch]")).findFirst()
                    .orElseThrow().start() + 0x800;
            left[0] = Kernel.copy_to_user(buf, "hello".getBytes(StandardCharsets.US_ASCII), 5);
            left[1] = Kernel.copy_from_user(back, buf, 5);
            return null;
        });
        assertEquals(0, left[0]);
        assertEquals(0, left[1]);
        assertEquals("hello", new String(back, StandardCharsets.US_ASCII));
        assertFalse(k.log().messages().contains(BUG), k.log().messages());
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void dumpStackPrintsTheHeaderAndTrace(Arch arch) {
        boot(arch);
        long j0 = k.run(Kernel::jiffies);
        inHandler("vfs_read", Kernel::dump_stack);
        String log = k.log().messages();
        assertTrue(log.contains("CPU: 0 PID: 1 Comm: init Not tainted 6.8.0-ksim #1\n"), log);
        assertTrue(log.contains(arch == Arch.X86_64 ? "Call Trace:\n <TASK>\n dump_stack_lvl+0x" : "Call trace:\n dump_stack_lvl+0x"), log);
        assertTrue(log.contains(" vfs_read+0x0/0x"), log);
        assertTrue(j0 >= Jiffies.INITIAL_JIFFIES && j0 < Jiffies.INITIAL_JIFFIES + 60 * Jiffies.HZ, "jiffies " + j0);
    }
}
