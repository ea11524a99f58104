// SPDX-License-Identifier: GPL-2.0-only
package dev.ksim.samples.kprobes;

import static dev.ksim.sdk.Kernel.ktime_get;
import static dev.ksim.sdk.Kernel.ktime_sub;
import static dev.ksim.sdk.Kernel.ktime_to_ns;
import static dev.ksim.sdk.Kprobes.register_kretprobe;
import static dev.ksim.sdk.Kprobes.regs_return_value;
import static dev.ksim.sdk.Kprobes.unregister_kretprobe;
import static dev.ksim.sdk.Printk.pr_err;
import static dev.ksim.sdk.Printk.pr_info;

import dev.ksim.sdk.KernelModule;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.KretprobeInstance;
import dev.ksim.sdk.ModuleInfo;
import dev.ksim.sdk.ModuleParam;
import dev.ksim.sdk.NoKprobe;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.linux.TaskStruct;

/**
 * kretprobe_example: a port of the kernel's {@code samples/kprobes/kretprobe_example.c}.
 *
 * <p>Here's a sample kernel module showing the use of return probes to report the return value and
 * total time taken for probed function to run.
 *
 * <p>usage: {@code insmod kretprobe_example.jar func=<func_name>}. If no func_name is specified,
 * kernel_clone is instrumented. This will print the return value and time taken for the function to
 * run, together with the probes missed (a non-zero count suggests maxactive was set too low).
 */
@ModuleInfo(license = "GPL", description = "kretprobes sample: reports a function's return value and duration")
public class KretprobeExample implements KernelModule {
    static final int KSYM_NAME_LEN = 512;

    /** The function to kretprobe. */
    @ModuleParam(name = "func", perm = 0644, maxlen = KSYM_NAME_LEN,
            desc = "Function to kretprobe; this module will report the function's execution time")
    public String func_name = "kernel_clone";

    /* per-instance private data: struct my_data { ktime_t entry_stamp; } */
    static final int MY_DATA_ENTRY_STAMP = 0;
    static final int SIZEOF_MY_DATA = 8;

    /* Here we use the entry_handler to timestamp function entry */
    @NoKprobe
    int entry_handler(KretprobeInstance ri, PtRegs regs) {
        if (TaskStruct.current().mm() == 0) {
            return 1; /* Skip kernel threads */
        }
        ri.data.putLong(MY_DATA_ENTRY_STAMP, ktime_get());
        return 0;
    }

    /*
     * Return-probe handler: Log the return value and duration. Duration may turn
     * out to be zero consistently, depending upon the granularity of time
     * accounting on the platform.
     */
    @NoKprobe
    int ret_handler(KretprobeInstance ri, PtRegs regs) {
        long retval = regs_return_value(regs);
        long delta;
        long now;

        now = ktime_get();
        delta = ktime_to_ns(ktime_sub(now, ri.data.getLong(MY_DATA_ENTRY_STAMP)));
        pr_info("%s returned %lu and took %lld ns to execute\n", func_name, retval, delta);
        return 0;
    }

    final Kretprobe my_kretprobe = new Kretprobe();

    {
        my_kretprobe.handler = this::ret_handler;
        my_kretprobe.entry_handler = this::entry_handler;
        my_kretprobe.data_size = SIZEOF_MY_DATA;
        /* Probe up to 20 instances concurrently. */
        my_kretprobe.maxactive = 20;
    }

    @Override
    public int init() {
        int ret;

        my_kretprobe.kp.symbol_name = func_name;
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

        /* nmissed > 0 suggests that maxactive was set too low. */
        pr_info("Missed probing %d instances of %s\n", my_kretprobe.nmissed, my_kretprobe.kp.symbol_name);
    }
}
