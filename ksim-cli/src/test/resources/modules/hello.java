// SPDX-License-Identifier: GPL-2.0
import dev.ksim.sdk.*;
import static dev.ksim.sdk.Kprobes.*;
import static dev.ksim.sdk.Printk.*;

/** A kprobe that logs each call of a function (kernel_clone by default). */
@ModuleInfo(license = "GPL", description = "logs calls of a function", author = "ksim tests")
public class Hello implements KernelModule {
    @ModuleParam(perm = 0644, maxlen = 64, desc = "Function to probe")
    public String symbol = "kernel_clone";

    @ModuleParam(perm = 0444, desc = "Calls seen")
    public int hits;

    final Kprobe kp = new Kprobe();

    @NoKprobe
    int pre(Kprobe p, PtRegs regs) {
        hits++;
        pr_info("hello: %s called\n", p.symbol_name);
        return 0;
    }

    public int init() {
        kp.symbol_name = symbol;
        kp.pre_handler = this::pre;
        int ret = register_kprobe(kp);
        if (ret < 0) {
            pr_err("hello: register_kprobe failed, returned %d\n", ret);
            return ret;
        }
        pr_info("hello: planted on %s\n", symbol);
        return 0;
    }

    public void exit() {
        unregister_kprobe(kp);
        pr_info("hello: %d calls\n", hits);
    }
}
