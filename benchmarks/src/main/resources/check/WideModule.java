// SPDX-License-Identifier: GPL-2.0-only
package dev.ksim.bench.check;

import static dev.ksim.sdk.Kernel.GFP_ATOMIC;
import static dev.ksim.sdk.Kernel.kfree;
import static dev.ksim.sdk.Kernel.kmalloc;
import static dev.ksim.sdk.Kernel.ktime_get;
import static dev.ksim.sdk.Kernel.spin_lock_irqsave;
import static dev.ksim.sdk.Kernel.spin_unlock_irqrestore;
import static dev.ksim.sdk.Kprobes.register_kprobe;
import static dev.ksim.sdk.Kprobes.register_kretprobe;
import static dev.ksim.sdk.Kprobes.regs_get_kernel_argument;
import static dev.ksim.sdk.Kprobes.regs_return_value;
import static dev.ksim.sdk.Kprobes.unregister_kprobe;
import static dev.ksim.sdk.Kprobes.unregister_kretprobe;
import static dev.ksim.sdk.Printk.pr_err;
import static dev.ksim.sdk.Printk.pr_info;

import dev.ksim.sdk.KernelModule;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.KretprobeInstance;
import dev.ksim.sdk.ModuleInfo;
import dev.ksim.sdk.ModuleParam;
import dev.ksim.sdk.NoKprobe;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.Spinlock;
import dev.ksim.sdk.linux.TaskStruct;

/** A 500-line module for timing ksim check: twelve probes, their handlers and helpers, statistics. */
@ModuleInfo(license = "GPL", description = "twelve probes with latency statistics")
public class WideModule implements KernelModule {
    @ModuleParam(perm = 0644, desc = "print every hit")
    public boolean verbose;
    @ModuleParam(perm = 0644, desc = "histogram buckets")
    public int buckets = 16;

    static final int SLOTS = 64;
    final Spinlock lock = new Spinlock();
    final long[] hits = new long[SLOTS];
    final long[] nanos = new long[SLOTS];

    final Kprobe kp0 = new Kprobe();

    @NoKprobe
    int pre0(Kprobe p, PtRegs regs) {
        long arg = regs_get_kernel_argument(regs, 0);
        record_hit(0, arg);
        if (verbose) {
            describe0(TaskStruct.current(), arg);
        }
        return 0;
    }

    @NoKprobe
    void describe0(TaskStruct t, long arg) {
        pr_info("kernel_clone: %s/%d arg=%lx bucket=%d\n", t.comm(), t.pid(), arg, bucket(arg));
    }

    final Kprobe kp1 = new Kprobe();

    @NoKprobe
    int pre1(Kprobe p, PtRegs regs) {
        long arg = regs_get_kernel_argument(regs, 0);
        record_hit(1, arg);
        if (verbose) {
            describe1(TaskStruct.current(), arg);
        }
        return 0;
    }

    @NoKprobe
    void describe1(TaskStruct t, long arg) {
        pr_info("do_sys_openat2: %s/%d arg=%lx bucket=%d\n", t.comm(), t.pid(), arg, bucket(arg));
    }

    final Kretprobe rp2 = new Kretprobe();

    @NoKprobe
    int entry2(KretprobeInstance ri, PtRegs regs) {
        ri.data.putLong(0, ktime_get());
        return 0;
    }

    @NoKprobe
    int ret2(KretprobeInstance ri, PtRegs regs) {
        long delta = ktime_get() - ri.data.getLong(0);
        record_latency(2, delta, regs_return_value(regs));
        return 0;
    }

    final Kprobe kp3 = new Kprobe();

    @NoKprobe
    int pre3(Kprobe p, PtRegs regs) {
        long arg = regs_get_kernel_argument(regs, 0);
        record_hit(3, arg);
        if (verbose) {
            describe3(TaskStruct.current(), arg);
        }
        return 0;
    }

    @NoKprobe
    void describe3(TaskStruct t, long arg) {
        pr_info("vfs_write: %s/%d arg=%lx bucket=%d\n", t.comm(), t.pid(), arg, bucket(arg));
    }

    final Kprobe kp4 = new Kprobe();

    @NoKprobe
    int pre4(Kprobe p, PtRegs regs) {
        long arg = regs_get_kernel_argument(regs, 0);
        record_hit(4, arg);
        if (verbose) {
            describe4(TaskStruct.current(), arg);
        }
        return 0;
    }

    @NoKprobe
    void describe4(TaskStruct t, long arg) {
        pr_info("do_unlinkat: %s/%d arg=%lx bucket=%d\n", t.comm(), t.pid(), arg, bucket(arg));
    }

    final Kretprobe rp5 = new Kretprobe();

    @NoKprobe
    int entry5(KretprobeInstance ri, PtRegs regs) {
        ri.data.putLong(0, ktime_get());
        return 0;
    }

    @NoKprobe
    int ret5(KretprobeInstance ri, PtRegs regs) {
        long delta = ktime_get() - ri.data.getLong(0);
        record_latency(5, delta, regs_return_value(regs));
        return 0;
    }

    final Kprobe kp6 = new Kprobe();

    @NoKprobe
    int pre6(Kprobe p, PtRegs regs) {
        long arg = regs_get_kernel_argument(regs, 0);
        record_hit(6, arg);
        if (verbose) {
            describe6(TaskStruct.current(), arg);
        }
        return 0;
    }

    @NoKprobe
    void describe6(TaskStruct t, long arg) {
        pr_info("vfs_open: %s/%d arg=%lx bucket=%d\n", t.comm(), t.pid(), arg, bucket(arg));
    }

    final Kprobe kp7 = new Kprobe();

    @NoKprobe
    int pre7(Kprobe p, PtRegs regs) {
        long arg = regs_get_kernel_argument(regs, 0);
        record_hit(7, arg);
        if (verbose) {
            describe7(TaskStruct.current(), arg);
        }
        return 0;
    }

    @NoKprobe
    void describe7(TaskStruct t, long arg) {
        pr_info("kfree: %s/%d arg=%lx bucket=%d\n", t.comm(), t.pid(), arg, bucket(arg));
    }

    final Kretprobe rp8 = new Kretprobe();

    @NoKprobe
    int entry8(KretprobeInstance ri, PtRegs regs) {
        ri.data.putLong(0, ktime_get());
        return 0;
    }

    @NoKprobe
    int ret8(KretprobeInstance ri, PtRegs regs) {
        long delta = ktime_get() - ri.data.getLong(0);
        record_latency(8, delta, regs_return_value(regs));
        return 0;
    }

    final Kprobe kp9 = new Kprobe();

    @NoKprobe
    int pre9(Kprobe p, PtRegs regs) {
        long arg = regs_get_kernel_argument(regs, 0);
        record_hit(9, arg);
        if (verbose) {
            describe9(TaskStruct.current(), arg);
        }
        return 0;
    }

    @NoKprobe
    void describe9(TaskStruct t, long arg) {
        pr_info("do_nanosleep: %s/%d arg=%lx bucket=%d\n", t.comm(), t.pid(), arg, bucket(arg));
    }

    final Kprobe kp10 = new Kprobe();

    @NoKprobe
    int pre10(Kprobe p, PtRegs regs) {
        long arg = regs_get_kernel_argument(regs, 0);
        record_hit(10, arg);
        if (verbose) {
            describe10(TaskStruct.current(), arg);
        }
        return 0;
    }

    @NoKprobe
    void describe10(TaskStruct t, long arg) {
        pr_info("hrtimer_nanosleep: %s/%d arg=%lx bucket=%d\n", t.comm(), t.pid(), arg, bucket(arg));
    }

    final Kretprobe rp11 = new Kretprobe();

    @NoKprobe
    int entry11(KretprobeInstance ri, PtRegs regs) {
        ri.data.putLong(0, ktime_get());
        return 0;
    }

    @NoKprobe
    int ret11(KretprobeInstance ri, PtRegs regs) {
        long delta = ktime_get() - ri.data.getLong(0);
        record_latency(11, delta, regs_return_value(regs));
        return 0;
    }

    @NoKprobe
    void record_hit(int slot, long arg) {
        long flags = spin_lock_irqsave(lock);
        hits[slot % SLOTS]++;
        spin_unlock_irqrestore(lock, flags);
    }

    @NoKprobe
    void record_latency(int slot, long delta, long ret) {
        long flags = spin_lock_irqsave(lock);
        hits[slot % SLOTS]++;
        nanos[slot % SLOTS] += delta;
        spin_unlock_irqrestore(lock, flags);
        if (ret < 0 && verbose) {
            pr_info("slot %d returned %ld\n", slot, ret);
        }
    }

    @NoKprobe
    int bucket(long value) {
        int b = 0;
        for (long v = value; v > 1 && b < buckets; v >>= 1) {
            b++;
        }
        return b;
    }

    String histogram(int slot) {
        long scratch = kmalloc(256, GFP_ATOMIC);
        StringBuilder sb = new StringBuilder();
        long avg = hits[slot] == 0 ? 0 : nanos[slot] / hits[slot];
        for (int i = 0; i < buckets; i++) {
            sb.append(i <= bucket(avg) ? '*' : ' ');
        }
        kfree(scratch);
        return sb.toString();
    }

    /** @param slot a probe's slot @return the function it probes */
    static String name(int slot) {
        switch (slot) {
            case 0:
                return "kernel_clone";
            case 1:
                return "do_sys_openat2";
            case 2:
                return "vfs_read";
            case 3:
                return "vfs_write";
            case 4:
                return "do_unlinkat";
            case 5:
                return "do_filp_open";
            case 6:
                return "vfs_open";
            case 7:
                return "kfree";
            case 8:
                return "schedule";
            case 9:
                return "do_nanosleep";
            case 10:
                return "hrtimer_nanosleep";
            case 11:
                return "__kmalloc";
            default:
                return "?";
        }
    }

    /** @param slot a probe's slot @return whether it is a return probe */
    static boolean isReturnProbe(int slot) {
        return slot % 3 == 2;
    }

    @Override
    public int init() {
        int ret;
        kp0.symbol_name = "kernel_clone";
        kp0.pre_handler = this::pre0;
        ret = register_kprobe(kp0);
        if (ret < 0) {
            pr_err("probe on kernel_clone failed, returned %d\n", ret);
            return ret;
        }
        kp1.symbol_name = "do_sys_openat2";
        kp1.pre_handler = this::pre1;
        ret = register_kprobe(kp1);
        if (ret < 0) {
            pr_err("probe on do_sys_openat2 failed, returned %d\n", ret);
            unregister_kprobe(kp0);
            return ret;
        }
        rp2.kp.symbol_name = "vfs_read";
        rp2.entry_handler = this::entry2;
        rp2.handler = this::ret2;
        rp2.data_size = 8;
        ret = register_kretprobe(rp2);
        if (ret < 0) {
            pr_err("probe on vfs_read failed, returned %d\n", ret);
            unregister_kprobe(kp1);
            unregister_kprobe(kp0);
            return ret;
        }
        kp3.symbol_name = "vfs_write";
        kp3.pre_handler = this::pre3;
        ret = register_kprobe(kp3);
        if (ret < 0) {
            pr_err("probe on vfs_write failed, returned %d\n", ret);
            unregister_kretprobe(rp2);
            unregister_kprobe(kp1);
            unregister_kprobe(kp0);
            return ret;
        }
        kp4.symbol_name = "do_unlinkat";
        kp4.pre_handler = this::pre4;
        ret = register_kprobe(kp4);
        if (ret < 0) {
            pr_err("probe on do_unlinkat failed, returned %d\n", ret);
            unregister_kprobe(kp3);
            unregister_kretprobe(rp2);
            unregister_kprobe(kp1);
            unregister_kprobe(kp0);
            return ret;
        }
        rp5.kp.symbol_name = "do_filp_open";
        rp5.entry_handler = this::entry5;
        rp5.handler = this::ret5;
        rp5.data_size = 8;
        ret = register_kretprobe(rp5);
        if (ret < 0) {
            pr_err("probe on do_filp_open failed, returned %d\n", ret);
            unregister_kprobe(kp4);
            unregister_kprobe(kp3);
            unregister_kretprobe(rp2);
            unregister_kprobe(kp1);
            unregister_kprobe(kp0);
            return ret;
        }
        kp6.symbol_name = "vfs_open";
        kp6.pre_handler = this::pre6;
        ret = register_kprobe(kp6);
        if (ret < 0) {
            pr_err("probe on vfs_open failed, returned %d\n", ret);
            unregister_kretprobe(rp5);
            unregister_kprobe(kp4);
            unregister_kprobe(kp3);
            unregister_kretprobe(rp2);
            unregister_kprobe(kp1);
            unregister_kprobe(kp0);
            return ret;
        }
        kp7.symbol_name = "kfree";
        kp7.pre_handler = this::pre7;
        ret = register_kprobe(kp7);
        if (ret < 0) {
            pr_err("probe on kfree failed, returned %d\n", ret);
            unregister_kprobe(kp6);
            unregister_kretprobe(rp5);
            unregister_kprobe(kp4);
            unregister_kprobe(kp3);
            unregister_kretprobe(rp2);
            unregister_kprobe(kp1);
            unregister_kprobe(kp0);
            return ret;
        }
        rp8.kp.symbol_name = "schedule";
        rp8.entry_handler = this::entry8;
        rp8.handler = this::ret8;
        rp8.data_size = 8;
        ret = register_kretprobe(rp8);
        if (ret < 0) {
            pr_err("probe on schedule failed, returned %d\n", ret);
            unregister_kprobe(kp7);
            unregister_kprobe(kp6);
            unregister_kretprobe(rp5);
            unregister_kprobe(kp4);
            unregister_kprobe(kp3);
            unregister_kretprobe(rp2);
            unregister_kprobe(kp1);
            unregister_kprobe(kp0);
            return ret;
        }
        kp9.symbol_name = "do_nanosleep";
        kp9.pre_handler = this::pre9;
        ret = register_kprobe(kp9);
        if (ret < 0) {
            pr_err("probe on do_nanosleep failed, returned %d\n", ret);
            unregister_kretprobe(rp8);
            unregister_kprobe(kp7);
            unregister_kprobe(kp6);
            unregister_kretprobe(rp5);
            unregister_kprobe(kp4);
            unregister_kprobe(kp3);
            unregister_kretprobe(rp2);
            unregister_kprobe(kp1);
            unregister_kprobe(kp0);
            return ret;
        }
        kp10.symbol_name = "hrtimer_nanosleep";
        kp10.pre_handler = this::pre10;
        ret = register_kprobe(kp10);
        if (ret < 0) {
            pr_err("probe on hrtimer_nanosleep failed, returned %d\n", ret);
            unregister_kprobe(kp9);
            unregister_kretprobe(rp8);
            unregister_kprobe(kp7);
            unregister_kprobe(kp6);
            unregister_kretprobe(rp5);
            unregister_kprobe(kp4);
            unregister_kprobe(kp3);
            unregister_kretprobe(rp2);
            unregister_kprobe(kp1);
            unregister_kprobe(kp0);
            return ret;
        }
        rp11.kp.symbol_name = "__kmalloc";
        rp11.entry_handler = this::entry11;
        rp11.handler = this::ret11;
        rp11.data_size = 8;
        ret = register_kretprobe(rp11);
        if (ret < 0) {
            pr_err("probe on __kmalloc failed, returned %d\n", ret);
            unregister_kprobe(kp10);
            unregister_kprobe(kp9);
            unregister_kretprobe(rp8);
            unregister_kprobe(kp7);
            unregister_kprobe(kp6);
            unregister_kretprobe(rp5);
            unregister_kprobe(kp4);
            unregister_kprobe(kp3);
            unregister_kretprobe(rp2);
            unregister_kprobe(kp1);
            unregister_kprobe(kp0);
            return ret;
        }
        pr_info("wide: %d probes planted\n", 12);
        return 0;
    }

    @Override
    public void exit() {
        unregister_kretprobe(rp11);
        unregister_kprobe(kp10);
        unregister_kprobe(kp9);
        unregister_kretprobe(rp8);
        unregister_kprobe(kp7);
        unregister_kprobe(kp6);
        unregister_kretprobe(rp5);
        unregister_kprobe(kp4);
        unregister_kprobe(kp3);
        unregister_kretprobe(rp2);
        unregister_kprobe(kp1);
        unregister_kprobe(kp0);
        for (int i = 0; i < 12; i++) {
            pr_info("%-20s %s %8d hits |%s|\n", name(i), isReturnProbe(i) ? "r" : "k", hits[i], histogram(i));
        }
    }
}
