// SPDX-License-Identifier: GPL-2.0-only
package dev.ksim.samples.mistakes;

import static dev.ksim.sdk.Kprobes.register_kprobe;
import static dev.ksim.sdk.Printk.pr_err;
import static dev.ksim.sdk.Printk.pr_info;

import dev.ksim.sdk.KernelModule;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.ModuleInfo;
import dev.ksim.sdk.NoKprobe;
import dev.ksim.sdk.PtRegs;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gallery mistake: an exit function that forgets to unregister its probe.
 *
 * <p>After {@code rmmod} the module's memory is freed, handler included, but the probe stays armed: a
 * real kernel jumps into the freed handler on the next fork and crashes. The simulated kernel names the
 * leaked probe in a warning and unregisters it, so the mistake shows without the crash. {@code ksim check}
 * reports it as {@code [exit-unregister]}.
 *
 * <p>The fix: every {@code register_*} in {@code init()} has its {@code unregister_*} in {@code exit()}.
 */
@ModuleInfo(license = "GPL", description = "gallery of mistakes: an exit that forgets to unregister")
public class ForgetfulExit implements KernelModule {
    final Kprobe kp = new Kprobe();
    final AtomicLong forks = new AtomicLong();

    @NoKprobe
    int handler_pre(Kprobe p, PtRegs regs) {
        forks.incrementAndGet();
        return 0;
    }

    @Override
    public int init() {
        int ret;
        kp.symbol_name = "kernel_clone";
        kp.pre_handler = this::handler_pre;

        ret = register_kprobe(kp);
        if (ret < 0) {
            pr_err("register_kprobe failed, returned %d\n", ret);
            return ret;
        }
        pr_info("Planted kprobe at %p\n", kp.addr);
        return 0;
    }

    @Override
    public void exit() {
        /* The mistake: no unregister_kprobe(kp). */
        pr_info("%d forks seen\n", forks.get());
    }
}
