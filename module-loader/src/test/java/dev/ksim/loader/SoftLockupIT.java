package dev.ksim.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.kernel.diag.Taint;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Errno;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A handler that never returns: the soft-lockup watchdog reports the stuck CPU after
 * {@code 2 * watchdog_thresh} seconds, the task is ended, and the kernel, its other CPUs and
 * {@code rmmod -f} keep working. Takes a few seconds of real time, so it is an integration test.
 */
@Tag("integration")
class SoftLockupIT extends LoaderTestSupport {

    @Test
    void aHandlerThatLoopsForEverIsASoftLockupAndTheKernelGoesOn() {
        boot();
        assertEquals("10\n", k.read("/proc/sys/kernel/watchdog_thresh"));
        assertEquals(-Errno.EINVAL, k.write("/proc/sys/kernel/watchdog_thresh", "61"));
        assertEquals(0, k.write("/proc/sys/kernel/watchdog_thresh", "1"));
        String src = """
                @ModuleInfo(license = "GPL")
                public class Spinner implements KernelModule {
                    final Kprobe kp = new Kprobe("kernel_clone");
                    long spins;
                    public int init() {
                        kp.pre_handler = (p, regs) -> {
                            while (spins >= 0) {
                                spins++;
                            }
                            return 0;
                        };
                        return register_kprobe(kp);
                    }
                    public void exit() { unregister_kprobe(kp); }
                }
                """;
        Process sh = k.spawn("/bin/sh");
        assertEquals(0, loader.insmod(module("spinner", src), ""), log());
        assertThrows(TaskKilled.class, sh::fork);
        String log = log();
        assertTrue(Pattern.compile("watchdog: BUG: soft lockup - CPU#\\d stuck for [2-9]s! \\[sh:\\d+\\]\n").matcher(log)
                .find(), log);
        assertTrue(k.taint().test(Taint.Flag.SOFTLOCKUP));
        assertEquals(0, k.onCpu(1, k.idleTask(1), () -> k.read("/proc/sys/kernel/watchdog_thresh").equals("1\n") ? 0 : 1),
                "another CPU works");
        assertEquals(0, loader.rmmod("spinner", true), log());
        Process sh2 = k.spawn("/bin/sh");
        assertTrue(sh2.fork() > 0, "with the module gone, fork runs again");
    }
}
