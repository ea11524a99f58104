package dev.ksim.kernel.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kprobes;
import dev.ksim.sdk.Maccess;
import dev.ksim.sdk.ProcDirEntry;
import dev.ksim.sdk.ProcFs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Module files under /proc (proc_create_single) and reading user memory from a handler without faulting. */
class ProcFilesTest {

    @Test
    void eachOpenAndReadCallsShowOnceAndLaterReadsContinueItsText() {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults())) {
            AtomicInteger shows = new AtomicInteger();
            String line = "x".repeat(6000) + "\n";
            ProcDirEntry de = k.run(() -> ProcFs.proc_create_single("big", 0, null, (m, v) -> {
                ProcFs.seq_printf(m, "%d %s", shows.incrementAndGet(), line);
                return 0;
            }));
            assertEquals("/proc/big", de.path());
            assertEquals(0100444, k.vfs().lookup("/proc/big").mode, "mode 0 means 0444");
            Process cat = k.spawn("/bin/cat");
            assertEquals("1 " + line, cat.cat("/proc/big"), "two reads of 4096, one show");
            assertEquals(1, shows.get());
            k.run(() -> ProcFs.proc_remove(de));
            assertNull(k.vfs().lookup("/proc/big"));
        }
    }

    @Test
    void aNameInUseWarnsAsProcRegisterDoes() {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults())) {
            assertNotNull(k.run(() -> ProcFs.proc_create_single("dup", 0444, null, (m, v) -> 0)));
            assertNull(k.run(() -> ProcFs.proc_create_single("dup", 0444, null, (m, v) -> 0)));
            String log = k.log().messages();
            assertTrue(log.contains("proc_dir_entry '/proc/dup' already registered\n------------[ cut here ]"), log);
            assertTrue(log.contains("WARNING: CPU: 0 PID: 1 at fs/proc/generic.c:371"), log);
        }
    }

    @Test
    void aHandlerReadsArgvFromUserMemoryWithoutFaulting() {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults())) {
            Process sh = k.spawn("/bin/sh");
            List<String> seen = new ArrayList<>();
            Kprobe p = new Kprobe("do_execveat_common.isra.0");
            p.pre_handler = (kp, regs) -> {
                long argv = Kprobes.regs_get_kernel_argument(regs, 2);
                byte[] ptr = new byte[8];
                for (int i = 0; Maccess.copy_from_user_nofault(ptr, argv + 8L * i, 8) == 0; i++) {
                    long s = java.nio.ByteBuffer.wrap(ptr).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
                    if (s == 0) {
                        break;
                    }
                    byte[] buf = new byte[32];
                    long n = Maccess.strncpy_from_user_nofault(buf, s, buf.length);
                    seen.add(new String(buf, 0, (int) n - 1, StandardCharsets.UTF_8));
                }
                byte[] b = new byte[4];
                seen.add("bad=" + Maccess.copy_from_user_nofault(b, 0x10, 4));
                return 0;
            };
            assertEquals(0, k.run(() -> Kprobes.register_kprobe(p)));
            long pid = sh.fork();
            k.syscalls().byPid((int) pid).execve("/bin/ls", List.of("ls", "-l", "/tmp"), List.of());
            assertEquals(List.of("ls", "-l", "/tmp", "bad=" + -Errno.EFAULT), seen);
            byte[] none = new byte[4];
            assertEquals(-Errno.EFAULT, k.run(() -> Maccess.strncpy_from_user_nofault(none, 0x10, 4)));
        }
    }
}
