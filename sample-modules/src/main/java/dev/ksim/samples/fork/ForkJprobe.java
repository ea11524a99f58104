// SPDX-License-Identifier: GPL-2.0
package dev.ksim.samples.fork;

import static dev.ksim.sdk.Kernel.current;
import static dev.ksim.sdk.Kprobes.jprobe_return;
import static dev.ksim.sdk.Kprobes.register_jprobe;
import static dev.ksim.sdk.Kprobes.unregister_jprobe;
import static dev.ksim.sdk.Printk.pr_err;
import static dev.ksim.sdk.Printk.pr_info;

import dev.ksim.sdk.Jprobe;
import dev.ksim.sdk.JprobeEntry;
import dev.ksim.sdk.KernelModule;
import dev.ksim.sdk.ModuleInfo;
import dev.ksim.sdk.ModuleParam;
import dev.ksim.sdk.linux.TaskStruct;

/**
 * fork_jprobe: a jprobe on {@code _do_fork} (kernels up to 4.14) that prints who forks and the
 * {@code clone_flags} it passes, decoded into the {@code CLONE_*} names of {@code <uapi/linux/sched.h>} and the
 * exit signal in the low byte ({@code CSIGNAL}).
 *
 * <p>The jprobe's entry mirrors {@code _do_fork}'s arguments and must end in {@code jprobe_return()}. Run it on
 * the 4.14 profile ({@code ./ksim run --kernel 4.14}); later kernels have no jprobes and init fails with
 * {@code -ENOSYS}.
 */
@ModuleInfo(license = "GPL", description = "jprobe on _do_fork: prints clone_flags, decoded")
public class ForkJprobe implements KernelModule {
    /** The fork function; {@code _do_fork} on 4.14. */
    @ModuleParam(perm = 0444, maxlen = 128, desc = "function to jprobe, with _do_fork's arguments")
    public String symbol = "_do_fork";

    /** {@code CSIGNAL}: the signal sent to the parent when the child exits. */
    static final long CSIGNAL = 0x000000ff;

    /** The {@code CLONE_*} flags, in bit order. */
    static final String[] CLONE_NAMES = {
        "CLONE_VM", "CLONE_FS", "CLONE_FILES", "CLONE_SIGHAND", "CLONE_PIDFD", "CLONE_PTRACE", "CLONE_VFORK",
        "CLONE_PARENT", "CLONE_THREAD", "CLONE_NEWNS", "CLONE_SYSVSEM", "CLONE_SETTLS", "CLONE_PARENT_SETTID",
        "CLONE_CHILD_CLEARTID", "CLONE_DETACHED", "CLONE_UNTRACED", "CLONE_CHILD_SETTID", "CLONE_NEWCGROUP",
        "CLONE_NEWUTS", "CLONE_NEWIPC", "CLONE_NEWUSER", "CLONE_NEWPID", "CLONE_NEWNET", "CLONE_IO",
    };

    /**
     * @param clone_flags the flags
     * @return them by name, {@code |}-separated, the exit signal last ({@code CLONE_VM|CLONE_VFORK|SIGCHLD})
     */
    static String decode(long clone_flags) {
        StringBuilder b = new StringBuilder();
        for (int bit = 0; bit < CLONE_NAMES.length; bit++) {
            if ((clone_flags & (0x100L << bit)) != 0) {
                b.append(b.length() == 0 ? "" : "|").append(CLONE_NAMES[bit]);
            }
        }
        long unknown = clone_flags & ~CSIGNAL & ~(((1L << CLONE_NAMES.length) - 1) << 8);
        if (unknown != 0) {
            b.append(b.length() == 0 ? "" : "|").append(String.format("0x%x", unknown));
        }
        int sig = (int) (clone_flags & CSIGNAL);
        if (sig != 0) {
            b.append(b.length() == 0 ? "" : "|").append(sig == 17 ? "SIGCHLD" : "signal " + sig);
        }
        return b.length() == 0 ? "0" : b.toString();
    }

    /* long _do_fork(unsigned long clone_flags, unsigned long stack_start, unsigned long stack_size,
     *               int __user *parent_tidptr, int __user *child_tidptr, unsigned long tls) */
    long j_do_fork(long clone_flags, long stack_start, long stack_size, long parent_tidptr, long child_tidptr,
            long tls) {
        TaskStruct t = current();
        pr_info("fork_jprobe: %s[%d] clone_flags = 0x%lx (%s)\n", t.comm(), t.tgid(), clone_flags,
                decode(clone_flags));

        /* Always end with a call to jprobe_return(). */
        jprobe_return();
        return 0;
    }

    final Jprobe jp = new Jprobe();

    @Override
    public int init() {
        jp.kp.symbol_name = symbol;
        jp.entry = (JprobeEntry.Args6) this::j_do_fork;
        int ret = register_jprobe(jp);
        if (ret < 0) {
            pr_err("fork_jprobe: register_jprobe failed, returned %d\n", ret);
            return ret;
        }
        pr_info("fork_jprobe: planted jprobe at %s\n", jp.kp.symbol_name);
        return 0;
    }

    @Override
    public void exit() {
        unregister_jprobe(jp);
        pr_info("fork_jprobe: jprobe at %s unregistered\n", jp.kp.symbol_name);
    }
}
