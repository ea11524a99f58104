// SPDX-License-Identifier: GPL-2.0
package dev.ksim.samples.block;

import static dev.ksim.sdk.Kprobes.register_kprobe;
import static dev.ksim.sdk.Kprobes.unregister_kprobe;
import static dev.ksim.sdk.Printk.pr_err;
import static dev.ksim.sdk.Printk.printk;

import dev.ksim.sdk.Arm64PtRegs;
import dev.ksim.sdk.KernelModule;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.ModuleInfo;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.X86PtRegs;
import dev.ksim.sdk.linux.RequestQueue;

/**
 * queue_ra_pages: reads a structure member through a probed function's first argument, the classic example
 * of the kprobes notes:
 *
 * <pre>
 * static ssize_t queue_ra_show(struct request_queue *q, char *page)
 * {
 *         unsigned long ra_kb = q->backing_dev_info->ra_pages << (PAGE_SHIFT - 10);
 *         return queue_var_show(ra_kb, page);
 * }
 *
 * static int handler_pre(struct kprobe *p, struct pt_regs *regs)
 * {
 *         struct request_queue *q = (struct request_queue *)regs->di;
 *         printk("ra_pages =%d\n", q->backing_dev_info->ra_pages);
 *         return 0;
 * }
 * </pre>
 *
 * <p>{@code cat /sys/block/vda/queue/read_ahead_kb} runs {@code queue_ra_show}; the first argument is in
 * {@code di} on x86_64 and in {@code x0} on arm64. (Before 4.11 {@code backing_dev_info} was embedded:
 * {@code q->backing_dev_info.ra_pages}.)
 */
@ModuleInfo(license = "GPL", description = "prints q->backing_dev_info->ra_pages in queue_ra_show")
public class QueueRaPages implements KernelModule {
    final Kprobe kp = new Kprobe();

    int handler_pre(Kprobe p, PtRegs regs) {
        long q;
        if (regs instanceof X86PtRegs x) {          /* #ifdef CONFIG_X86 */
            q = x.di;
        } else {                                    /* #ifdef CONFIG_ARM64 */
            q = ((Arm64PtRegs) regs).regs[0];
        }
        printk("ra_pages =%lu\n", new RequestQueue(q).backing_dev_info().ra_pages());
        return 0;
    }

    @Override
    public int init() {
        kp.symbol_name = "queue_ra_show";
        kp.pre_handler = this::handler_pre;
        int ret = register_kprobe(kp);
        if (ret < 0) {
            pr_err("queue_ra_pages: register_kprobe failed, returned %d\n", ret);
            return ret;
        }
        return 0;
    }

    @Override
    public void exit() {
        unregister_kprobe(kp);
    }
}
