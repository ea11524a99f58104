package dev.ksim.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Jprobe;
import dev.ksim.sdk.JprobeEntry;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kprobes;
import dev.ksim.sdk.Kretprobe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Kernel profiles differ where real kernels differ, so module portability can be tested. */
class KernelProfileTest extends KernelTestSupport {

    private SimKernel boot(KernelProfile p, Arch arch) {
        return boot(BootOptions.defaults().withArch(arch).withCpus(2).withProfile(p));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void symbolTablesDifferAsRealKernelsDo(Arch arch) {
        boot(KernelProfile.V4_14, arch);
        assertEquals(-Errno.ENOENT, k.register_kprobe(new Kprobe("kernel_clone")), "4.14 has _do_fork");
        assertEquals(0, k.register_kprobe(new Kprobe("_do_fork")));
        assertEquals(-Errno.ENOENT, k.register_kprobe(new Kprobe("do_sys_openat2")), "added in 5.6");
        assertEquals(0, k.register_kprobe(new Kprobe("do_sys_open")));
        assertEquals(0, k.register_kprobe(new Kprobe(arch == Arch.X86_64 ? "SyS_openat" : "sys_openat")));
        assertEquals(0, k.register_kprobe(new Kprobe("printk")));
        assertTrue(k.read("/proc/version").startsWith("Linux version 4.14.336-ksim "));
        k.close();
        boot(KernelProfile.V5_10, arch);
        assertEquals(0, k.register_kprobe(new Kprobe("kernel_clone")));
        assertEquals(-Errno.ENOENT, k.register_kprobe(new Kprobe("_do_fork")));
        assertEquals(0, k.register_kprobe(new Kprobe("do_sys_openat2")));
        assertEquals(-Errno.ENOENT, k.register_kprobe(new Kprobe("_printk")), "_printk arrived in 5.15");
        assertEquals(0, k.register_kprobe(new Kprobe(arch == Arch.X86_64 ? "__x64_sys_openat" : "__arm64_sys_openat")));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void syscallsTakeTheirArgumentsDirectlyBefore417(Arch arch) {
        boot(KernelProfile.V4_14, arch);
        Process sh = k.spawn("/bin/sh");
        List<Long> flags = new ArrayList<>();
        Kprobe p = new Kprobe("do_sys_open");
        p.pre_handler = (kp, regs) -> {
            flags.add(Kprobes.regs_get_kernel_argument(regs, 2));
            return 0;
        };
        k.register_kprobe(p);
        long fd = sh.open("/tmp/x", Process.O_CREAT | Process.O_WRONLY, 0600);
        assertTrue(fd >= 3);
        assertEquals(List.of((long) (Process.O_CREAT | Process.O_WRONLY)), flags);
        assertEquals(0, sh.unlink("/tmp/x"));
        assertTrue(sh.fork() > 0, "fork runs through SyS_clone/_do_fork");
    }

    @Test
    void faultHandlerExistsUntil514() {
        for (KernelProfile prof : List.of(KernelProfile.V4_14, KernelProfile.V5_10)) {
            boot(prof, Arch.X86_64);
            AtomicInteger faults = new AtomicInteger();
            Kprobe p = new Kprobe("vfs_read");
            String[] none = {null};
            p.pre_handler = (kp, regs) -> none[0].length();
            p.fault_handler = (kp, regs, trapnr) -> {
                faults.addAndGet(trapnr);
                return 1;
            };
            k.register_kprobe(p);
            k.call("vfs_read", 0, 0, 0, 0);
            assertEquals(14, faults.get(), "a NULL dereference is a page fault, trap 14");
            assertEquals(1, p.nmissed, "old kernels count the fault as a miss");
            k.close();
        }
        boot(KernelProfile.V6_8, Arch.X86_64);
        AtomicInteger faults = new AtomicInteger();
        Kprobe p = new Kprobe("vfs_read");
        String[] none = {null};
        p.pre_handler = (kp, regs) -> none[0].length();
        p.fault_handler = (kp, regs, trapnr) -> faults.incrementAndGet();
        k.register_kprobe(p);
        assertThrows(TaskKilled.class, () -> k.call("vfs_read", 0, 0, 0, 0));
        assertEquals(0, faults.get(), "6.x never calls fault_handler: the fault oopses");
    }

    @Test
    void kretprobeDefaultsAndTrampolineFollowTheProfile() {
        boot(BootOptions.defaults().withCpus(4).withProfile(KernelProfile.V5_10).withPreemption(false));
        Kretprobe rp = new Kretprobe("vfs_read");
        assertEquals(0, k.register_kretprobe(rp));
        assertEquals(4, rp.maxactive, "without CONFIG_PREEMPTION old kernels default to NR_CPUS");
        assertTrue(k.read("/proc/kallsyms").contains(" kretprobe_trampoline\n"));
        assertTrue(!k.read("/proc/kallsyms").contains(" __kretprobe_trampoline\n"));
        k.close();
        boot(BootOptions.defaults().withCpus(4).withPreemption(false));
        rp = new Kretprobe("vfs_read");
        assertEquals(0, k.register_kretprobe(rp));
        assertEquals(10, rp.maxactive, "6.x always uses max(10, 2 * NR_CPUS)");
    }

    @Test
    void jprobesRules() {
        boot(KernelProfile.V4_14, Arch.X86_64);
        List<Long> seen = new ArrayList<>();
        Jprobe jp = new Jprobe("vfs_mkdir", (JprobeEntry.Args2) (dir, dentry) -> {
            seen.add(dentry);
            Kprobes.jprobe_return();
        });
        assertEquals(0, k.register_jprobe(jp));
        assertEquals(-Errno.EEXIST, k.register_jprobe(new Jprobe("vfs_mkdir", (JprobeEntry.Args0) Kprobes::jprobe_return)),
                "one jprobe per address");
        Jprobe off = new Jprobe("vfs_read", (JprobeEntry.Args0) Kprobes::jprobe_return);
        off.kp.offset = 1;
        assertEquals(-Errno.EINVAL, k.register_jprobe(off), "function entry only");
        Kprobe plain = new Kprobe("vfs_mkdir");
        assertEquals(0, k.register_kprobe(plain), "kprobes may share the address");
        k.call("vfs_mkdir", 0, 42, 0, 0);
        assertEquals(List.of(42L), seen);
        assertTrue(k.read("/sys/kernel/debug/kprobes/list").contains("  j  vfs_mkdir+0x0"));
        Jprobe bad = new Jprobe("vfs_rmdir", (JprobeEntry.Args0) () -> { });
        assertEquals(0, k.register_jprobe(bad));
        assertThrows(TaskKilled.class, () -> k.call("vfs_rmdir", 0, 0, 0), "an entry must end with jprobe_return()");
        assertTrue(k.log().messages().contains("does not match saved sp"));
        k.close();
        boot(KernelProfile.V5_10, Arch.X86_64);
        assertEquals(-Errno.ENOSYS, k.register_jprobe(jp), "disabled since 4.15");
    }

    @Test
    void messagesFollowTheProfile() {
        boot(KernelProfile.V4_14, Arch.X86_64);
        k.register_kprobe(new Kprobe("vfs_read"));
        k.write("/sys/kernel/debug/kprobes/enabled", "0");
        Kprobe p = new Kprobe("vfs_write");
        assertEquals(0, k.register_kprobe(p));
        p.symbol_name = null;
        assertEquals(-Errno.EINVAL, k.register_kprobe(p));
        String log = k.log().messages();
        assertTrue(log.contains("\nKprobes globally disabled\n"), log);
        assertTrue(!log.contains("cut here"), "4.14 refuses a re-registration silently");
    }
}
