// SPDX-License-Identifier: GPL-2.0-only
package dev.ksim.samples.mistakes;

import static dev.ksim.sdk.Kernel.msleep;
import static dev.ksim.sdk.Kprobes.register_kprobe;
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
 * A gallery mistake: a kprobe handler that sleeps.
 *
 * <p>The pre-handler logs each fork through a helper that then waits "for the log to drain" with
 * {@code msleep()}. Probe handlers run in atomic context (preemption off; on x86 interrupts off too), where
 * sleeping is a bug: the kernel prints {@code BUG: sleeping function called from invalid context} with
 * the task, its preempt count and a stack trace, taints itself W, and goes on. {@code ksim check} reports
 * it before the module is loaded ({@code [handler-sleeps]}, with the call chain from the handler).
 *
 * <p>The fix: never sleep in a handler. Defer the work (a workqueue in C), or drop the wait.
 */
@ModuleInfo(license = "GPL", description = "gallery of mistakes: a kprobe handler that sleeps")
public class SleepingHandler implements KernelModule {
    final Kprobe kp = new Kprobe();

    /* kprobe pre_handler: runs with preemption disabled */
    @NoKprobe
    int handler_pre(Kprobe p, PtRegs regs) {
        log_fork(TaskStruct.current());
        return 0;
    }

    @NoKprobe
    void log_fork(TaskStruct t) {
        pr_info("%s/%d forks\n", t.comm(), t.pid());
        /* The mistake: sleeping, two calls deep in a handler. */
        msleep(10);
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
        unregister_kprobe(kp);
        pr_info("kprobe at %p unregistered\n", kp.addr);
    }
}
