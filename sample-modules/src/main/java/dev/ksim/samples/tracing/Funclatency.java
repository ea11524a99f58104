// SPDX-License-Identifier: GPL-2.0
package dev.ksim.samples.tracing;

import static dev.ksim.sdk.Kernel.ktime_get_ns;
import static dev.ksim.sdk.Kprobes.register_kretprobe;
import static dev.ksim.sdk.Kprobes.unregister_kretprobe;
import static dev.ksim.sdk.Printk.pr_err;
import static dev.ksim.sdk.Printk.pr_info;
import static dev.ksim.sdk.ProcFs.proc_create_single;
import static dev.ksim.sdk.ProcFs.proc_remove;
import static dev.ksim.sdk.ProcFs.seq_printf;

import dev.ksim.sdk.Errno;
import dev.ksim.sdk.KernelModule;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.KretprobeInstance;
import dev.ksim.sdk.ModuleInfo;
import dev.ksim.sdk.ModuleParam;
import dev.ksim.sdk.NoKprobe;
import dev.ksim.sdk.ProcDirEntry;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.SeqFile;
import java.util.concurrent.atomic.AtomicLong;

/**
 * funclatency: bcc's {@code funclatency} as a module. A kretprobe times each call of {@code func}; the
 * latencies go into a log2 histogram printed as bcc prints it, in {@code /proc/funclatency} while loaded and in
 * the kernel log at {@code rmmod}:
 *
 * <pre>
 *      nsecs               : count     distribution
 *        512 -> 1023       : 3        |********                                |
 *       1024 -> 2047       : 15       |****************************************|
 *
 * avg = 1360 nsecs, total: 24480 nsecs, count: 18
 * </pre>
 *
 * <p>usage: {@code insmod funclatency.jar func=vfs_read}.
 */
@ModuleInfo(license = "GPL", description = "funclatency: a function's latency as a log2 histogram")
public class Funclatency implements KernelModule {
    static final int KSYM_NAME_LEN = 512;

    /** The function to time. */
    @ModuleParam(perm = 0444, maxlen = KSYM_NAME_LEN, desc = "function to time")
    public String func = "vfs_read";

    /** kretprobe instances: calls in flight that can be timed. */
    @ModuleParam(perm = 0444, desc = "calls timed at once (kretprobe maxactive); 0 for the kernel's default")
    public int maxactive;

    final Log2Histogram dist = new Log2Histogram();
    /** The sum and number of timed calls ({@code avg} in bcc). */
    final AtomicLong total = new AtomicLong();
    final AtomicLong count = new AtomicLong();

    final Kretprobe rp = new Kretprobe();
    ProcDirEntry pde;

    /* per-instance data: u64 start */
    static final int START = 0;

    @NoKprobe
    int entry(KretprobeInstance ri, PtRegs regs) {
        ri.data.putLong(START, ktime_get_ns());
        return 0;
    }

    @NoKprobe
    int ret(KretprobeInstance ri, PtRegs regs) {
        long delta = ktime_get_ns() - ri.data.getLong(START);
        dist.increment(delta);
        total.addAndGet(delta);
        count.incrementAndGet();
        return 0;
    }

    /** @return the histogram and the average line, as funclatency prints them at Ctrl-C */
    java.util.List<String> report() {
        java.util.List<String> lines = new java.util.ArrayList<>(Log2Histogram.render(dist.values(), "nsecs"));
        long n = count.get();
        if (n > 0) {
            lines.add("");
            lines.add(String.format("avg = %d nsecs, total: %d nsecs, count: %d", total.get() / n, total.get(), n));
        }
        return lines;
    }

    int show(SeqFile m, Object v) {
        for (String line : report()) {
            seq_printf(m, "%s\n", line);
        }
        return 0;
    }

    @Override
    public int init() {
        rp.kp.symbol_name = func;
        rp.entry_handler = this::entry;
        rp.handler = this::ret;
        rp.data_size = 8;
        rp.maxactive = maxactive;
        int ret = register_kretprobe(rp);
        if (ret < 0) {
            pr_err("funclatency: register_kretprobe on %s failed, returned %d\n", func, ret);
            return ret;
        }
        pde = proc_create_single("funclatency", 0444, null, this::show);
        if (pde == null) {
            unregister_kretprobe(rp);
            return -Errno.ENOMEM;
        }
        pr_info("Tracing 1 functions for \"%s\"... rmmod funclatency to end.\n", func);
        return 0;
    }

    @Override
    public void exit() {
        proc_remove(pde);
        unregister_kretprobe(rp);
        for (String line : report()) {
            if (!line.isEmpty()) {
                pr_info("%s\n", line);
            }
        }
        pr_info("Detaching... (missed %d calls)\n", rp.nmissed);
    }
}
