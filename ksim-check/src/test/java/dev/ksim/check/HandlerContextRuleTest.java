package dev.ksim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandlerContextRuleTest extends CheckerTestSupport {

    @Test
    void aSleepTwoCallsDeepIsReportedWithItsChain() {
        CheckReport r = check("Deep", kprobeModule("Deep", "kernel_clone", "log_it(p);", """
                void log_it(Kprobe p) { pr_info("hit\\n"); pause_a_bit(); }
                void pause_a_bit() { msleep(5); }
                """));
        Diagnostic d = only(r, Rule.HANDLER_SLEEPS);
        assertEquals(Severity.ERROR, d.severity());
        assertEquals("sleeping function called from kprobe pre_handler context: msleep() sleeps", d.message());
        assertEquals(20, d.at().line(), r.format());
        assertEquals("call chain: kp.pre_handler -> handler_pre() -> log_it() -> pause_a_bit() -> Kernel.msleep()",
                d.notes().get(0).message());
        assertTrue(d.format().startsWith(d.at().file() + ":20:22: error: sleeping function"), d.format());
        assertTrue(d.format().contains(" [handler-sleeps]\n"), d.format());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssleep(1);", "usleep_range(10, 20);", "schedule();", "cond_resched();", "might_sleep();",
        "mutex_lock(m);", "down(sem);", "copy_from_user(new byte[8], 0x1000, 8);",
        "copy_to_user(0x1000, new byte[8], 8);", "kmalloc(64, GFP_KERNEL);", "kzalloc(64, GFP_KERNEL | __GFP_ZERO);",
        "try { Thread.sleep(1); } catch (InterruptedException e) { }",
        "try { java.util.concurrent.TimeUnit.MILLISECONDS.sleep(1); } catch (InterruptedException e) { }",
        "synchronized (m) { try { m.wait(); } catch (InterruptedException e) { } }", "lock.lock();",
        "try { cond.await(); } catch (InterruptedException e) { }", "java.util.concurrent.locks.LockSupport.park();",
        "disable_kprobe(p);", "unregister_kprobe(p);"})
    void everySleepingCallIsReported(String call) {
        CheckReport r = check("Sleeps", kprobeModule("Sleeps", "kernel_clone", call, """
                final Mutex m = new Mutex();
                final Semaphore sem = new Semaphore(1);
                final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
                final java.util.concurrent.locks.Condition cond = lock.newCondition();
                """));
        only(r, Rule.HANDLER_SLEEPS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kmalloc(64, GFP_ATOMIC);", "mutex_trylock(m);", "down_trylock(sem);", "up(sem);",
        "spin_lock(s); spin_unlock(s);", "lock.tryLock();", "java.util.concurrent.locks.LockSupport.unpark(null);",
        "ktime_get();", "pr_info(\"x\");"})
    void nonSleepingCallsAreNot(String call) {
        CheckReport r = check("Fine", kprobeModule("Fine", "kernel_clone", call, """
                final Mutex m = new Mutex();
                final Semaphore sem = new Semaphore(1);
                final Spinlock s = new Spinlock();
                final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
                """));
        assertClean(r);
    }

    @Test
    void sleepingOutsideHandlersIsFine() {
        assertClean(check("InitSleeps", """
                @ModuleInfo(license = "GPL")
                public class InitSleeps implements KernelModule {
                    final Kprobe kp = new Kprobe("kernel_clone");
                    int pre(Kprobe p, PtRegs r) { return 0; }
                    public int init() { msleep(10); kp.pre_handler = this::pre; return register_kprobe(kp); }
                    public void exit() { unregister_kprobe(kp); mutex_lock(new Mutex()); }
                }
                """));
    }

    @Test
    void everyHandlerRoleIsFollowedWhicheverWayItIsSet() {
        CheckReport r = check("AllRoles", """
                @ModuleInfo(license = "GPL")
                public class AllRoles implements KernelModule {
                    final Kprobe kp = new Kprobe("kernel_clone");
                    final Kretprobe rp = new Kretprobe("do_sys_openat2");
                    Jprobe jp;
                    static final KretprobeHandler STORED = (ri, regs) -> { schedule(); return 0; };
                    public int init() {
                        kp.pre_handler = (p, regs) -> { msleep(1); return 0; };
                        kp.post_handler = (p, regs, flags) -> ssleep(1);
                        kp.fault_handler = new KprobeFaultHandler() {
                            public int handle(Kprobe p, PtRegs regs, int trapnr) { cond_resched(); return 0; }
                        };
                        rp.entry_handler = STORED;
                        rp.handler = this::ret;
                        jp = new Jprobe("kernel_clone", (JprobeEntry.Args1) a1 -> { might_sleep(); jprobe_return(); });
                        register_kprobe(kp);
                        register_kretprobe(rp);
                        return 0;
                    }
                    int ret(KretprobeInstance ri, PtRegs regs) { usleep_range(1, 2); return 0; }
                    public void exit() { unregister_kprobe(kp); unregister_kretprobe(rp); }
                }
                """);
        assertEquals(java.util.List.of("kprobe pre_handler", "kprobe post_handler", "kprobe fault_handler",
                "kretprobe entry_handler", "kretprobe handler", "jprobe entry handler"),
                r.of(Rule.HANDLER_SLEEPS).stream().map(d -> d.message().replaceFirst("sleeping function called from ", "")
                        .replaceFirst(" context:.*", "")).sorted(java.util.Comparator.comparing(
                                s -> java.util.List.of("kprobe pre_handler", "kprobe post_handler",
                                        "kprobe fault_handler", "kretprobe entry_handler", "kretprobe handler",
                                        "jprobe entry handler").indexOf(s))).toList(), r.format());
    }

    @Test
    void callsIntoTheModulesOtherClassesAreFollowed() throws CheckException {
        write("Pacer", """
                public class Pacer {
                    static void pause() { msleep(1); }
                    void lock(Mutex m) { mutex_lock(m); }
                }
                """);
        CheckReport r = check("Paced", kprobeModule("Paced", "kernel_clone", "Pacer.pause(); pacer.lock(m);", """
                final Pacer pacer = new Pacer();
                final Mutex m = new Mutex();
                """));
        assertEquals(java.util.List.of(
                "call chain: kp.pre_handler -> handler_pre() -> pause() -> Kernel.msleep()",
                "call chain: kp.pre_handler -> handler_pre() -> lock() -> Kernel.mutex_lock()"),
                r.of(Rule.HANDLER_SLEEPS).stream().map(d -> d.notes().get(0).message()).toList(), r.format());
        assertTrue(r.of(Rule.HANDLER_SLEEPS).get(0).at().file().endsWith("Pacer.java"), r.format());
        CheckReport both = new ModuleChecker(dev.ksim.kernel.KernelProfile.current()).check(java.util.List.of(dir));
        assertEquals(2, both.of(Rule.HANDLER_SLEEPS).size(), both.format());
        assertEquals(2, both.files());
    }

    @Test
    void aHandlerItCannotFollowIsNoted() {
        CheckReport r = check("Opaque", """
                @ModuleInfo(license = "GPL")
                public class Opaque implements KernelModule {
                    final Kprobe kp = new Kprobe("kernel_clone");
                    KprobePreHandler make() { return (p, regs) -> 0; }
                    public int init() { kp.pre_handler = make(); return register_kprobe(kp); }
                    public void exit() { unregister_kprobe(kp); }
                }
                """);
        Diagnostic d = only(r, Rule.HANDLER_UNRESOLVED);
        assertEquals(Severity.NOTE, d.severity());
        assertEquals(0, r.exitStatus(), "a note is not an error");
    }
}
