// SPDX-License-Identifier: GPL-2.0-only
package dev.ksim.samples.mistakes;

import static dev.ksim.sdk.Kernel.GFP_ATOMIC;
import static dev.ksim.sdk.Kernel.kfree;
import static dev.ksim.sdk.Kernel.kmalloc;
import static dev.ksim.sdk.Kprobes.register_kprobe;
import static dev.ksim.sdk.Kprobes.regs_get_kernel_argument;
import static dev.ksim.sdk.Kprobes.unregister_kprobe;
import static dev.ksim.sdk.Printk.pr_err;
import static dev.ksim.sdk.Printk.pr_info;

import dev.ksim.sdk.KernelModule;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.ModuleInfo;
import dev.ksim.sdk.NoKprobe;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.linux.TaskStruct;

/**
 * A gallery mistake: a handler that calls the function it probes.
 *
 * <p>The module probes {@code kfree} and its handler takes a scratch buffer with {@code kmalloc()}
 * (atomically, so it does not sleep) and gives it back with {@code kfree()}: the probe is hit again while
 * its own handler runs on that CPU. The kernel does not recurse into the handler; it skips the
 * nested hit and counts it in {@code nmissed} ({@code kprobes_inc_nmissed_count} from
 * {@code reenter_kprobe}), so the frees the handler makes are never seen, and the exit line shows one
 * miss per hit. {@code ksim check} reports it as {@code [handler-reenters]}.
 *
 * <p>The fix: no calls from a handler into what the module probes; preallocate the buffer in
 * {@code init()}.
 */
@ModuleInfo(license = "GPL", description = "gallery of mistakes: a handler that calls the function it probes")
public class RecursiveHandler implements KernelModule {
    final Kprobe kp = new Kprobe();

    @NoKprobe
    int handler_pre(Kprobe p, PtRegs regs) {
        long scratch = kmalloc(64, GFP_ATOMIC);
        TaskStruct t = TaskStruct.current();
        pr_info("%s/%d frees %s\n", t.comm(), t.pid(), regs_get_kernel_argument(regs, 0) == 0 ? "NULL" : "an object");
        /* The mistake: kfree() is the probed function. */
        kfree(scratch);
        return 0;
    }

    @Override
    public int init() {
        int ret;
        kp.symbol_name = "kfree";
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
        unregister_kprobe(kp);
        pr_info("kprobe at %p unregistered, %lu nested hits missed\n", kp.addr, kp.nmissed);
    }
}
