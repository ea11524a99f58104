package com.example.openwatch;

import static dev.ksim.sdk.Kernel.current;
import static dev.ksim.sdk.Kprobes.register_kprobe;
import static dev.ksim.sdk.Kprobes.regs_get_kernel_argument;
import static dev.ksim.sdk.Kprobes.unregister_kprobe;
import static dev.ksim.sdk.Maccess.strncpy_from_user_nofault;
import static dev.ksim.sdk.Printk.pr_err;
import static dev.ksim.sdk.Printk.pr_info;

import dev.ksim.sdk.KernelModule;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.ModuleInfo;
import dev.ksim.sdk.ModuleParam;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.linux.TaskStruct;
import java.nio.charset.StandardCharsets;

/**
 * open_watch: logs each file a process opens, optionally only for one command.
 *
 * <p>{@code long do_sys_openat2(int dfd, const char __user *filename, struct open_how *how)}: the name is
 * still in the caller's memory, so the handler copies it without faulting.
 */
@ModuleInfo(license = "GPL", description = "logs who opens which file", author = "Example Author")
public class OpenWatch implements KernelModule {
    static final int NAME_MAX = 256;

    /** Only this command's opens are logged; empty for all. */
    @ModuleParam(perm = 0644, maxlen = 16, desc = "only log this command (comm); empty for every process")
    public String comm = "";

    final Kprobe kp = new Kprobe();

    int handler_pre(Kprobe p, PtRegs regs) {
        TaskStruct task = current();
        if (!comm.isEmpty() && !comm.equals(task.comm())) {
            return 0;
        }
        byte[] name = new byte[NAME_MAX];
        long n = strncpy_from_user_nofault(name, regs_get_kernel_argument(regs, 1), NAME_MAX);
        String file = n > 0 ? new String(name, 0, (int) n - 1, StandardCharsets.UTF_8) : "?";
        pr_info("open_watch: %s[%d] opens %s\n", task.comm(), task.tgid(), file);
        return 0;
    }

    @Override
    public int init() {
        kp.symbol_name = "do_sys_openat2";
        kp.pre_handler = this::handler_pre;
        int ret = register_kprobe(kp);
        if (ret < 0) {
            pr_err("open_watch: register_kprobe failed, returned %d\n", ret);
            return ret;
        }
        pr_info("open_watch: watching %s\n", comm.isEmpty() ? "every process" : comm);
        return 0;
    }

    @Override
    public void exit() {
        unregister_kprobe(kp);
    }
}
