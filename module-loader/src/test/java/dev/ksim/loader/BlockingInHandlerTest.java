package dev.ksim.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.diag.Taint;
import dev.ksim.kernel.proc.Process;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A module's handler that reaches for the JDK's blocking calls is reported as the kernel reports a
 * sleeping function called from invalid context, at the module's source line, and the kernel goes on.
 */
class BlockingInHandlerTest extends LoaderTestSupport {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Thread.sleep            | Thread.sleep(1);",
        "Thread.sleep(ms, ns)    | Thread.sleep(0, 500);",
        "TimeUnit.sleep          | java.util.concurrent.TimeUnit.MICROSECONDS.sleep(10);",
        "Object.wait             | synchronized (this) { wait(1); }",
        "ReentrantLock.lock      | lock.lock(); lock.unlock();",
        "Lock.lock               | java.util.concurrent.locks.Lock l = lock; l.lock(); l.unlock();",
        "LockSupport.parkNanos   | java.util.concurrent.locks.LockSupport.parkNanos(1000);",
        "Kernel.msleep           | dev.ksim.sdk.Kernel.msleep(1);",
    })
    void aBlockingCallInAPreHandlerIsASleepInAtomicContext(String what, String call) {
        boot();
        String src = """
                @ModuleInfo(license = "GPL")
                public class Sleepy implements KernelModule {
                    final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
                    final Kprobe kp = new Kprobe("kernel_clone");
                    public int init() {
                        kp.pre_handler = (p, regs) -> {
                            try {
                                CALL
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return 0;
                        };
                        return register_kprobe(kp);
                    }
                    public void exit() { unregister_kprobe(kp); }
                }
                """.replace("CALL", call.matches(".*(Thread\\.sleep|TimeUnit|wait\\().*")
                        ? call : call + " if (false) throw new InterruptedException();");
        assertEquals(0, loader.insmod(module("sleepy", src), ""), log());
        Process sh = k.spawn("/bin/sh");
        assertTrue(sh.fork() > 0, what);
        assertTrue(sh.fork() > 0, "the kernel keeps running");
        assertEquals(0, loader.rmmod("sleepy", false), log());
        List<String> lines = log().lines().toList();
        String site = what.equals("Kernel.msleep") ? "kernel/time/timer.c:2159" : "sleepy.java:11";
        String bug = "BUG: sleeping function called from invalid context at " + site;
        assertEquals(1, lines.stream().filter(bug::equals).count(), "rate-limited to one per second\n" + log());
        assertTrue(lines.get(lines.indexOf(bug) + 1).startsWith("in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: "),
                log());
        assertTrue(k.taint().test(Taint.Flag.WARN), what);
        assertFalse(log().contains("Oops"), log());
    }
}
