// SPDX-License-Identifier: GPL-2.0
package dev.ksim.samples.kprobes;

import static dev.ksim.sdk.Kprobes.jprobe_return;
import static dev.ksim.sdk.Kprobes.register_jprobe;
import static dev.ksim.sdk.Kprobes.unregister_jprobe;
import static dev.ksim.sdk.Printk.KERN_INFO;
import static dev.ksim.sdk.Printk.printk;

import dev.ksim.sdk.Jprobe;
import dev.ksim.sdk.JprobeEntry;
import dev.ksim.sdk.KernelModule;
import dev.ksim.sdk.ModuleInfo;

/**
 * jprobe_example: a port of the kernel's {@code samples/kprobes/jprobe_example.c} (kernels up to 4.14).
 *
 * <p>Here's a sample kernel module showing the use of jprobes to dump the arguments of _do_fork(). Run it
 * on the 4.14 kernel profile; on later kernels register_jprobe() fails with -ENOSYS and init returns -1.
 */
@ModuleInfo(license = "GPL", description = "jprobes sample: dumps _do_fork()'s arguments")
public class JprobeExample implements KernelModule {

    /*
     * Jumper probe for _do_fork.
     * Mirror principle enables access to arguments of the probed routine
     * from the probe handler.
     */

    /* Proxy routine having the same arguments as actual _do_fork() routine */
    long j_do_fork(long clone_flags, long stack_start, long stack_size, long parent_tidptr, long child_tidptr,
            long tls) {
        printk(KERN_INFO + "jprobe: clone_flags = 0x%lx, stack_start = 0x%lx stack_size = 0x%lx\n",
                clone_flags, stack_start, stack_size);

        /* Always end with a call to jprobe_return(). */
        jprobe_return();
        return 0;
    }

    final Jprobe my_jprobe = new Jprobe();

    {
        my_jprobe.entry = (JprobeEntry.Args6) this::j_do_fork;
        my_jprobe.kp.symbol_name = "_do_fork";
    }

    @Override
    public int init() {
        int ret;

        ret = register_jprobe(my_jprobe);
        if (ret < 0) {
            printk(KERN_INFO + "register_jprobe failed, returned %d\n", ret);
            return -1;
        }
        printk(KERN_INFO + "Planted jprobe at %p, handler addr %p\n", my_jprobe.kp.addr, my_jprobe.entry);
        return 0;
    }

    @Override
    public void exit() {
        unregister_jprobe(my_jprobe);
        printk(KERN_INFO + "jprobe at %p unregistered\n", my_jprobe.kp.addr);
    }
}
