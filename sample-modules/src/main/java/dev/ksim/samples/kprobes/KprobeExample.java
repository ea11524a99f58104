// SPDX-License-Identifier: GPL-2.0-only
package dev.ksim.samples.kprobes;

import static dev.ksim.sdk.Kprobes.register_kprobe;
import static dev.ksim.sdk.Kprobes.unregister_kprobe;
import static dev.ksim.sdk.Printk.pr_err;
import static dev.ksim.sdk.Printk.pr_info;

import dev.ksim.sdk.Arm64PtRegs;
import dev.ksim.sdk.KernelModule;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.ModuleInfo;
import dev.ksim.sdk.ModuleParam;
import dev.ksim.sdk.NoKprobe;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.X86PtRegs;

/**
 * Here's a sample kernel module showing the use of kprobes to dump a stack trace and selected registers
 * when kernel_clone() is called: a port of the kernel's {@code samples/kprobes/kprobe_example.c}.
 *
 * <p>You will see the trace data in dmesg whenever kernel_clone() is invoked to create a new process.
 * The C sample's {@code pr_fmt} prefixes every line with the function's name; Java has no
 * {@code __func__}, so the prefix is written out.
 */
@ModuleInfo(license = "GPL", description = "kprobes sample: prints registers when kernel_clone() is called")
public class KprobeExample implements KernelModule {
    /** {@code KSYM_NAME_LEN}. */
    static final int KSYM_NAME_LEN = 512;

    /** The function to probe. */
    @ModuleParam(perm = 0644, maxlen = KSYM_NAME_LEN, desc = "Function to probe")
    public String symbol = "kernel_clone";

    /* For each probe you need to allocate a kprobe structure */
    final Kprobe kp = new Kprobe();

    /* kprobe pre_handler: called just before the probed instruction is executed */
    @NoKprobe
    int handler_pre(Kprobe p, PtRegs regs) {
        if (regs instanceof X86PtRegs x) {
            pr_info("handler_pre: <%s> p->addr = 0x%p, ip = %lx, flags = 0x%lx\n",
                    p.symbol_name, p.addr, x.ip, x.flags);
        }
        if (regs instanceof Arm64PtRegs a) {
            pr_info("handler_pre: <%s> p->addr = 0x%p, pc = 0x%lx, pstate = 0x%lx\n",
                    p.symbol_name, p.addr, a.pc, a.pstate);
        }

        /* A dump_stack() here will give a stack backtrace */
        return 0;
    }

    /* kprobe post_handler: called after the probed instruction is executed */
    @NoKprobe
    void handler_post(Kprobe p, PtRegs regs, long flags) {
        if (regs instanceof X86PtRegs x) {
            pr_info("handler_post: <%s> p->addr = 0x%p, flags = 0x%lx\n",
                    p.symbol_name, p.addr, x.flags);
        }
        if (regs instanceof Arm64PtRegs a) {
            pr_info("handler_post: <%s> p->addr = 0x%p, pstate = 0x%lx\n",
                    p.symbol_name, p.addr, a.pstate);
        }
    }

    @Override
    public int init() {
        int ret;
        kp.symbol_name = symbol;
        kp.pre_handler = this::handler_pre;
        kp.post_handler = this::handler_post;

        ret = register_kprobe(kp);
        if (ret < 0) {
            pr_err("kprobe_init: register_kprobe failed, returned %d\n", ret);
            return ret;
        }
        pr_info("kprobe_init: Planted kprobe at %p\n", kp.addr);
        return 0;
    }

    @Override
    public void exit() {
        unregister_kprobe(kp);
        pr_info("kprobe_exit: kprobe at %p unregistered\n", kp.addr);
    }
}
