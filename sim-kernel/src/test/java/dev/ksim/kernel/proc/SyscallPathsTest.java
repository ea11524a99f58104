package dev.ksim.kernel.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelTestSupport;
import dev.ksim.kernel.SimKernel;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kprobes;
import dev.ksim.sdk.Printk;
import dev.ksim.sdk.linux.Filename;
import dev.ksim.sdk.linux.KernelCloneArgs;
import dev.ksim.sdk.linux.RequestQueue;
import dev.ksim.sdk.linux.TaskStruct;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** System calls run the kernel's call chains over real structures, so probes see what they would. */
class SyscallPathsTest extends KernelTestSupport {



    @ParameterizedTest
    @EnumSource(Arch.class)
    void forkPassesKernelCloneWithItsArgumentsAndExecChangesComm(Arch arch) {
        boot(arch);
        Process sh = k.spawn("/bin/sh");
        assertEquals("sh", sh.comm());
        List<String> seen = new ArrayList<>();
        Kprobe p = new Kprobe("kernel_clone");
        p.pre_handler = (kp, regs) -> {
            KernelCloneArgs args = new KernelCloneArgs(Kprobes.regs_get_kernel_argument(regs, 0));
            TaskStruct cur = new TaskStruct(k.current_task());
            seen.add(cur.comm() + "/" + cur.pid() + " flags=" + args.flags() + " sig=" + args.exit_signal());
            return 0;
        };
        assertEquals(0, k.register_kprobe(p));
        long child = sh.fork();
        assertTrue(child > sh.pid(), "child pid " + child);
        assertEquals(List.of("sh/" + sh.pid() + " flags=0 sig=17"), seen);
        Process c = k.syscalls().byPid((int) child);
        assertNotNull(c);
        assertEquals(0, c.execve("/bin/ls", List.of("ls", "-l"), List.of()));
        assertEquals("ls", c.comm());
        assertEquals(-Errno.ENOENT, c.execve("/bin/nope", List.of("nope"), List.of()));
        assertEquals(-Errno.EACCES, c.execve("/etc/passwd", List.of("passwd"), List.of()));
        c.exit(3);
        assertTrue(c.hasExited());
        assertEquals(3, c.exitCode());
        assertEquals(child, sh.wait4(-1));
        assertEquals(-Errno.ECHILD, sh.wait4(-1));
        k.unregister_kprobe(p);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void unlinkPassesDoUnlinkatWithAStructFilename(Arch arch) {
        boot(arch);
        Process sh = k.spawn("/bin/sh");
        List<String> names = new ArrayList<>();
        Kprobe p = new Kprobe("do_unlinkat");
        p.pre_handler = (kp, regs) -> {
            names.add(new Filename(Kprobes.regs_get_kernel_argument(regs, 1)).name());
            return 0;
        };
        k.register_kprobe(p);
        long fd = sh.open("/tmp/test1", Process.O_CREAT | Process.O_WRONLY, 0644);
        assertTrue(fd >= 3, "fd " + fd);
        assertEquals(5, sh.write((int) fd, "hello"));
        assertEquals(0, sh.close((int) fd));
        assertEquals("hello", sh.cat("/tmp/test1"));
        assertEquals(0, sh.unlink("/tmp/test1"));
        assertEquals(-Errno.ENOENT, sh.unlink("/tmp/test1"));
        assertEquals(List.of("/tmp/test1", "/tmp/test1"), names);
        assertEquals(0, sh.mkdir("/tmp/d", 0755));
        assertEquals(-Errno.EEXIST, sh.mkdir("/tmp/d", 0755));
        assertEquals(0, sh.rename("/tmp/d", "/tmp/e"));
        assertEquals(0, sh.rmdir("/tmp/e"));
        assertEquals(-Errno.EBADF, sh.close(99));
        assertEquals(-Errno.ENOENT, sh.open("/no/such", Process.O_RDONLY, 0));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void readingReadAheadKbPassesQueueRaShow(Arch arch) {
        boot(arch);
        Process sh = k.spawn("/bin/cat");
        long[] ra = new long[1];
        Kprobe p = new Kprobe("queue_ra_show");
        p.pre_handler = (kp, regs) -> {
            RequestQueue q = new RequestQueue(Kprobes.regs_get_kernel_argument(regs, 0));
            ra[0] = q.backing_dev_info().ra_pages();
            return 0;
        };
        k.register_kprobe(p);
        assertEquals("128\n", sh.cat("/sys/block/vda/queue/read_ahead_kb"));
        assertEquals(32, ra[0]);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void printkRunsThroughProbeableFunctionsAndRecursionIsMissed(Arch arch) {
        boot(arch);
        AtomicInteger hits = new AtomicInteger();
        Kprobe p = new Kprobe("vprintk_emit");
        p.pre_handler = (kp, regs) -> {
            hits.incrementAndGet();
            Printk.pr_info("inside a handler\n");
            return 0;
        };
        k.register_kprobe(p);
        k.run(() -> Printk.pr_info("hello %d\n", 42));
        assertEquals(1, hits.get());
        assertEquals(1, p.nmissed, "the handler's own printk hit the probe and was missed");
        String log = k.log().messages();
        assertTrue(log.contains("inside a handler\nhello 42\n"), log);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void nanosleepSwitchesToTheIdleTask(Arch arch) {
        boot(arch);
        Process sh = k.spawn("/bin/sleep");
        List<String> switches = new ArrayList<>();
        Kprobe p = new Kprobe("__switch_to");
        p.pre_handler = (kp, regs) -> {
            switches.add(new TaskStruct(Kprobes.regs_get_kernel_argument(regs, 0)).comm() + "->"
                    + new TaskStruct(Kprobes.regs_get_kernel_argument(regs, 1)).comm());
            return 0;
        };
        assertEquals(0, k.register_kprobe(p));
        assertEquals(0, sh.nanosleep(1_000_000));
        assertTrue(switches.get(0).startsWith("sleep->swapper/"), switches.toString());
    }
}
