// SPDX-License-Identifier: GPL-2.0-only
package dev.ksim.samples.mistakes;

import static dev.ksim.sdk.Kprobes.register_kretprobe;
import static dev.ksim.sdk.Kprobes.regs_return_value;
import static dev.ksim.sdk.Kprobes.unregister_kretprobe;
import static dev.ksim.sdk.Printk.pr_err;
import static dev.ksim.sdk.Printk.pr_info;

import dev.ksim.sdk.KernelModule;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.KretprobeInstance;
import dev.ksim.sdk.ModuleInfo;
import dev.ksim.sdk.NoKprobe;
import dev.ksim.sdk.PtRegs;

/**
 * A gallery mistake: a kretprobe whose {@code maxactive} is too small for the load.
 *
 * <p>{@code register_kretprobe()} preallocates {@code maxactive} instances, and each call of the probed
 * function holds one from entry to return. {@code hrtimer_nanosleep} sleeps, so calls from several tasks
 * overlap; with {@code maxactive = 1} only the first is tracked, and every call made while it sleeps finds
 * no free instance: its return is not reported, only counted in {@code nmissed}. {@code ksim check}
 * reports it as {@code [kretprobe-maxactive]}.
 *
 * <p>The fix: leave {@code maxactive} at 0 for the kernel's default, {@code max(10, 2 * num_possible_cpus())},
 * or size it for the calls in flight at once.
 */
@ModuleInfo(license = "GPL", description = "gallery of mistakes: a kretprobe with maxactive too small")
public class SmallMaxactive implements KernelModule {
    final Kretprobe my_kretprobe = new Kretprobe();

    @NoKprobe
    int ret_handler(KretprobeInstance ri, PtRegs regs) {
        pr_info("%s/%d: hrtimer_nanosleep returned %ld\n", ri.task.comm(), ri.task.pid(), regs_return_value(regs));
        return 0;
    }

    @Override
    public int init() {
        int ret;
        my_kretprobe.kp.symbol_name = "hrtimer_nanosleep";
        my_kretprobe.handler = this::ret_handler;
        /* The mistake: "nanosleep is short, one instance will do". */
        my_kretprobe.maxactive = 1;

        ret = register_kretprobe(my_kretprobe);
        if (ret < 0) {
            pr_err("register_kretprobe failed, returned %d\n", ret);
            return ret;
        }
        pr_info("Planted return probe at %s: %p\n", my_kretprobe.kp.symbol_name, my_kretprobe.kp.addr);
        return 0;
    }

    @Override
    public void exit() {
        unregister_kretprobe(my_kretprobe);
        pr_info("kretprobe at %p unregistered\n", my_kretprobe.kp.addr);
        pr_info("Missed probing %d instances of %s\n", my_kretprobe.nmissed, my_kretprobe.kp.symbol_name);
    }
}
