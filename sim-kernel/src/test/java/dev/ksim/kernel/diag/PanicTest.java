package dev.ksim.kernel.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.KernelTestSupport;
import dev.ksim.kernel.cpu.KernelPanic;
import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Kernel;
import dev.ksim.sdk.Kprobe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code panic_on_oops} and {@code panic_on_warn}: the panic report, then a stopped kernel. */
class PanicTest extends KernelTestSupport {

    private void throwingHandler() {
        Kprobe p = new Kprobe("vfs_read");
        String[] nothing = {null};
        p.pre_handler = (kp, r) -> nothing[0].length();
        assertEquals(0, k.register_kprobe(p));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void anOopsWithPanicOnOopsStopsTheKernel(Arch arch) {
        boot(arch);
        assertEquals("0\n", k.read("/proc/sys/kernel/panic_on_oops"));
        assertEquals(0, k.write("/proc/sys/kernel/panic_on_oops", "1\n"));
        throwingHandler();
        KernelPanic e = assertThrows(KernelPanic.class, () -> k.call("vfs_read", 0, 0, 0, 0));
        // x86: the int3 path runs handlers in NMI context, so oops_end() takes its in_interrupt() branch
        String msg = arch == Arch.X86_64 ? "Fatal exception in interrupt" : "Oops: Fatal exception";
        assertEquals("Kernel panic - not syncing: " + msg, e.getMessage());
        String log = k.log().messages();
        assertTrue(log.contains("---[ end trace 0000000000000000 ]---\nKernel panic - not syncing: " + msg + "\n"), log);
        assertTrue(log.endsWith("---[ end Kernel panic - not syncing: " + msg + " ]---\n"), log);
        assertThrows(KernelPanic.class, () -> k.call("vfs_write", 0, 0, 0, 0), "the kernel stays stopped");
    }

    @Test
    void withoutPanicOnOopsTheKernelGoesOn() {
        boot(Arch.X86_64);
        throwingHandler();
        assertThrows(TaskKilled.class, () -> k.call("vfs_read", 0, 0, 0, 0));
        assertFalse(k.log().messages().contains("Kernel panic"));
        k.call("vfs_write", 0, 0, 0, 0);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void schedulingWhileAtomicWithPanicOnWarnPanics(Arch arch) {
        boot(arch);
        assertEquals(0, k.write("/proc/sys/kernel/panic_on_warn", "1"));
        Kprobe p = new Kprobe("vfs_write");
        p.pre_handler = (kp, regs) -> {
            Kernel.schedule();
            return 0;
        };
        k.register_kprobe(p);
        assertThrows(KernelPanic.class, () -> k.call("vfs_write", 0, 0, 0, 0));
        String log = k.log().messages();
        int bug = log.indexOf("BUG: scheduling while atomic: ");
        int panic = log.indexOf("Kernel panic - not syncing: scheduling while atomic: panic_on_warn set ...\n");
        assertTrue(bug >= 0 && panic > bug, log);
        assertTrue(log.indexOf("Call Trace:", panic) > 0 || log.indexOf("Call trace:", panic) > 0,
                "panic dumps the stack when no oops is in progress\n" + log);
    }

    @Test
    void theSysctlsTakeTheKernelsRanges() {
        boot(Arch.X86_64);
        assertEquals(-Errno.EINVAL, k.write("/proc/sys/kernel/panic_on_warn", "2"));
        assertEquals(-Errno.EINVAL, k.write("/proc/sys/kernel/panic_on_warn", "yes"));
        assertEquals("0\n", k.read("/proc/sys/kernel/panic_on_warn"));
        assertEquals(0, k.write("/proc/sys/kernel/panic_on_oops", "30"));
        assertEquals("30\n", k.read("/proc/sys/kernel/panic_on_oops"));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aHandlerDereferencingABadKernelPointerOopsesInTheKernelsWords(Arch arch) {
        boot(arch);
        long bad = arch == Arch.X86_64 ? 0xffffc90000dead00L : 0xffff80000dead000L;
        Kprobe p = new Kprobe("vfs_read");
        p.pre_handler = (kp, regs) -> new dev.ksim.sdk.linux.TaskStruct(bad).pid();
        assertEquals(0, k.register_kprobe(p));
        assertThrows(TaskKilled.class, () -> k.call("vfs_read", 0, 0, 0, 0));
        String log = k.log().messages();
        if (arch == Arch.X86_64) {
            assertTrue(log.contains("BUG: unable to handle page fault for address: ffffc90000de"), log);
            assertTrue(log.contains("#PF: supervisor read access in kernel mode\n"
                    + "#PF: error_code(0x0000) - not-present page\n"), log);
            assertTrue(log.contains("Oops: 0000 [#1] PREEMPT SMP NOPTI\n"), log);
        } else {
            assertTrue(log.contains("Unable to handle kernel paging request at virtual address ffff80000de"), log);
            assertTrue(log.contains("Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP\n"), log);
        }
        assertTrue(k.taint().test(Taint.Flag.DIE));
        k.unregister_kprobe(p);
        k.call("vfs_read", 0, 0, 0, 0);
    }
}
