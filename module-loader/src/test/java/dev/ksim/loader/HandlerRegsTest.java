package dev.ksim.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.proc.Process;
import org.junit.jupiter.api.Test;

/**
 * A loaded module's handlers see the pt_regs of the trap, whatever module code they run: the handler method
 * itself and the helpers it calls are woven, yet they leave the registers alone.
 */
class HandlerRegsTest extends LoaderTestSupport {

    @Test
    void aWovenPreHandlerReadsItsArgumentsAfterCallingHelpers() {
        boot();
        assertEquals(0, loader.insmod(module("args", """
                @ModuleInfo(license = "GPL")
                public class Args implements KernelModule {
                    final Kprobe kp = new Kprobe("do_unlinkat");
                    static long twice(long v, long w, long x) { return 2 * v; }
                    int pre(Kprobe p, PtRegs regs) {
                        long before = regs_get_kernel_argument(regs, 1);
                        long doubled = twice(7, 8, 9);
                        long after = regs_get_kernel_argument(regs, 1);
                        pr_info("args: %d %d %d\\n", before != 0 ? 1 : 0, before == after ? 1 : 0, doubled);
                        return 0;
                    }
                    public int init() { kp.pre_handler = this::pre; return register_kprobe(kp); }
                    public void exit() { unregister_kprobe(kp); }
                }
                """), ""), log());
        Process sh = k.spawn("/bin/sh");
        sh.unlink("/tmp/none");
        assertTrue(log().contains("args: 1 1 14\n"), log());
    }

    @Test
    void aWovenKretprobeHandlerChangesTheReturnValue() {
        boot();
        assertEquals(0, loader.insmod(module("override", """
                @ModuleInfo(license = "GPL")
                public class Override implements KernelModule {
                    final Kretprobe rp = new Kretprobe("do_unlinkat");
                    static long fake() { return -13; }
                    int ret(KretprobeInstance ri, PtRegs regs) {
                        long was = regs_return_value(regs);
                        regs.setReturnValue(fake());
                        pr_info("override: %d\\n", was);
                        return 0;
                    }
                    public int init() { rp.handler = this::ret; return register_kretprobe(rp); }
                    public void exit() { unregister_kretprobe(rp); }
                }
                """), ""), log());
        Process sh = k.spawn("/bin/sh");
        assertEquals(-13, sh.unlink("/tmp/none"), "the handler's change is what the caller gets");
        assertTrue(log().contains("override: -2\n"), log());
    }
}
