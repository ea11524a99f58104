// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
package dev.ksim.samples.tracing;

import static dev.ksim.sdk.Kernel.current;
import static dev.ksim.sdk.Kprobes.register_kprobe;
import static dev.ksim.sdk.Kprobes.register_kretprobe;
import static dev.ksim.sdk.Kprobes.regs_get_kernel_argument;
import static dev.ksim.sdk.Kprobes.regs_return_value;
import static dev.ksim.sdk.Kprobes.unregister_kprobe;
import static dev.ksim.sdk.Kprobes.unregister_kretprobe;
import static dev.ksim.sdk.Maccess.bpf_core_read;
import static dev.ksim.sdk.Maccess.kernel_string_nofault;
import static dev.ksim.sdk.Printk.pr_err;
import static dev.ksim.sdk.Printk.pr_info;

import dev.ksim.sdk.KernelModule;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.KretprobeInstance;
import dev.ksim.sdk.ModuleInfo;
import dev.ksim.sdk.PtRegs;

/**
 * unlink_monitor: the eBPF tutorial's {@code kprobe-link} program (bpf-developer-tutorial, lesson 2) as a
 * module: a kprobe on {@code do_unlinkat} prints the pid and the file name, a kretprobe prints the return
 * value.
 *
 * <pre>
 * SEC("kprobe/do_unlinkat")
 * int BPF_KPROBE(do_unlinkat, int dfd, struct filename *name)
 * SEC("kretprobe/do_unlinkat")
 * int BPF_KRETPROBE(do_unlinkat_exit, long ret)
 * </pre>
 *
 * <p>The pid is the process's (the thread group's), as {@code bpf_get_current_pid_tgid() >> 32} gives it; the
 * name is read as {@code BPF_CORE_READ(name, name)} reads it, without faulting.
 */
@ModuleInfo(license = "Dual BSD/GPL", description = "unlink monitor: do_unlinkat's pid, filename and return value")
public class UnlinkMonitor implements KernelModule {
    static final int NAME_MAX = 256;

    final Kprobe kp = new Kprobe();
    final Kretprobe rp = new Kretprobe();

    /* int do_unlinkat(int dfd, struct filename *name) */
    int do_unlinkat(Kprobe p, PtRegs regs) {
        long name = regs_get_kernel_argument(regs, 1);
        int pid = current().tgid();
        String filename = kernel_string_nofault(bpf_core_read(name, "filename", "name", 8), NAME_MAX);
        pr_info("KPROBE ENTRY pid = %d, filename = %s\n", pid, filename);
        return 0;
    }

    int do_unlinkat_exit(KretprobeInstance ri, PtRegs regs) {
        long ret = regs_return_value(regs);
        int pid = current().tgid();
        pr_info("KPROBE EXIT: pid = %d, ret = %ld\n", pid, ret);
        return 0;
    }

    @Override
    public int init() {
        kp.symbol_name = "do_unlinkat";
        kp.pre_handler = this::do_unlinkat;
        int ret = register_kprobe(kp);
        if (ret < 0) {
            pr_err("unlink_monitor: register_kprobe failed, returned %d\n", ret);
            return ret;
        }
        rp.kp.symbol_name = "do_unlinkat";
        rp.handler = this::do_unlinkat_exit;
        ret = register_kretprobe(rp);
        if (ret < 0) {
            pr_err("unlink_monitor: register_kretprobe failed, returned %d\n", ret);
            unregister_kprobe(kp);
            return ret;
        }
        pr_info("unlink_monitor: watching do_unlinkat\n");
        return 0;
    }

    @Override
    public void exit() {
        unregister_kretprobe(rp);
        unregister_kprobe(kp);
        pr_info("unlink_monitor: missed %d calls\n", rp.nmissed);
    }
}
