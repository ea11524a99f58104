package dev.ksim.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.sdk.Errno;
import org.junit.jupiter.api.Test;

/** Beyond the kernel: probes a module leaves registered are named in a warning and removed. */
class LeakedProbesTest extends LoaderTestSupport {
    private static String leaky(String cls, String init, String exit) {
        return """
                @ModuleInfo(license = "GPL")
                public class CLS implements KernelModule {
                    final Kprobe kp = new Kprobe("kernel_clone");
                    final Kprobe kp2 = new Kprobe("do_sys_openat2");
                    int pre(Kprobe p, PtRegs r) { return 0; }
                    public int init() { kp.pre_handler = this::pre; register_kprobe(kp); register_kprobe(kp2); INIT }
                    EXIT
                }
                """.replace("CLS", cls).replace("INIT", init).replace("EXIT", exit);
    }

    @Test
    void initFailingAfterRegisteringLeavesNothingBehind() {
        boot();
        assertEquals(-Errno.ENODEV, loader.insmod(module("failing", leaky("Failing", "return -19;", "")), ""));
        assertTrue(log().endsWith("""
                failing: kprobe at kernel_clone+0x0/0x30 still registered after its init failed with -19: ksim \
                unregistered it (a real kernel would call the freed handler on its next hit and crash)
                failing: kprobe at do_sys_openat2+0x0/0x60 still registered after its init failed with -19: ksim \
                unregistered it (a real kernel would call the freed handler on its next hit and crash)
                """), log());
        assertEquals("", k.read("/sys/kernel/debug/kprobes/list"));
        k.spawn("/bin/sh");
    }

    @Test
    void exitForgettingToUnregisterIsCaught() {
        boot();
        assertEquals(0, loader.insmod(module("forgetful", leaky("Forgetful", "return 0;",
                "public void exit() { unregister_kprobe(kp2); }")), ""));
        assertEquals(0, loader.rmmod("forgetful", false));
        assertTrue(log().endsWith("forgetful: kprobe at kernel_clone+0x0/0x30 still registered after its exit(): ksim "
                + "unregistered it (a real kernel would call the freed handler on its next hit and crash)\n"), log());
        assertEquals("", k.read("/sys/kernel/debug/kprobes/list"));
    }

    @Test
    void leakedKretprobesToo() {
        boot();
        assertEquals(0, loader.insmod(module("ret", """
                @ModuleInfo(license = "GPL")
                public class Ret implements KernelModule {
                    final Kretprobe rp = new Kretprobe("kernel_clone");
                    public int init() { rp.handler = (ri, regs) -> 0; return register_kretprobe(rp); }
                    public void exit() { }
                }
                """), ""), log());
        k.spawn("/bin/sh");
        assertEquals(0, loader.rmmod("ret", false));
        assertTrue(log().endsWith("ret: kretprobe at kernel_clone+0x0/0x30 still registered after its exit(): ksim "
                + "unregistered it (a real kernel would call the freed handler on its next hit and crash)\n"), log());
        assertEquals("", k.read("/sys/kernel/debug/kprobes/list"));
        k.spawn("/bin/sh");
    }

    @Test
    void forcedRemovalOfAModuleWithoutExitRemovesItsProbes() {
        boot();
        assertEquals(0, loader.insmod(module("pinned", leaky("Pinned", "return 0;", "")), ""));
        assertEquals(0, loader.rmmod("pinned", true));
        assertTrue(log().contains("pinned: kprobe at kernel_clone+0x0/0x30 still registered when it was forcibly removed"),
                log());
        assertEquals("", k.read("/sys/kernel/debug/kprobes/list"));
    }

    @Test
    void aProcFileTheModuleForgetsIsRemovedAtRmmod() {
        boot();
        assertEquals(0, loader.insmod(module("procleak", """
                @ModuleInfo(license = "GPL")
                public class Procleak implements KernelModule {
                    int reads;
                    int show(SeqFile m, Object v) { ProcFs.seq_printf(m, "reads %d\\n", ++reads); return 0; }
                    public int init() { return ProcFs.proc_create_single("procleak", 0, null, this::show) == null ? -12 : 0; }
                    public void exit() { }
                }
                """), ""), log());
        assertEquals("reads 1\n", k.read("/proc/procleak"));
        assertEquals("reads 2\n", k.spawn("/bin/cat").cat("/proc/procleak"), "one show per open and read");
        assertEquals(0, loader.rmmod("procleak", false));
        assertTrue(log().endsWith("procleak: /proc/procleak still registered after its exit(): ksim removed it (a "
                + "real kernel would call the freed show function on its next read and crash)\n"), log());
        assertEquals(null, k.vfs().lookup("/proc/procleak"));
    }
}
