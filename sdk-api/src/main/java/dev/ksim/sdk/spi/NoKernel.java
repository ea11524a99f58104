package dev.ksim.sdk.spi;

import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Jprobe;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;

/**
 * The kernel an unbound thread gets when no provider supplies one: like a kernel built with
 * {@code CONFIG_KPROBES=n}, its registration functions return {@code -ENOSYS}. It warns once.
 */
final class NoKernel implements KernelServices {
    static final NoKernel INSTANCE = new NoKernel();

    /** Set once by the first call; racing first calls may both warn, which is harmless. */
    private static volatile boolean warned;

    private NoKernel() {
    }

    private static int nosys() {
        if (!warned) {
            warned = true;
            System.err.println("ksim: no kernel is bound to this thread and no KernelServicesProvider was found;"
                    + " kernel calls fail with -ENOSYS. Boot a ksim kernel or bind one with KernelBinding.bind().");
        }
        return -Errno.ENOSYS;
    }

    @Override
    public int register_kprobe(Kprobe p) {
        return nosys();
    }

    @Override
    public void unregister_kprobe(Kprobe p) {
    }

    @Override
    public int register_kprobes(Kprobe[] kps, int num) {
        return nosys();
    }

    @Override
    public void unregister_kprobes(Kprobe[] kps, int num) {
    }

    @Override
    public int enable_kprobe(Kprobe p) {
        return nosys();
    }

    @Override
    public int disable_kprobe(Kprobe p) {
        return nosys();
    }

    @Override
    public int register_kretprobe(Kretprobe rp) {
        return nosys();
    }

    @Override
    public void unregister_kretprobe(Kretprobe rp) {
    }

    @Override
    public int register_kretprobes(Kretprobe[] rps, int num) {
        return nosys();
    }

    @Override
    public void unregister_kretprobes(Kretprobe[] rps, int num) {
    }

    @Override
    public int register_jprobe(Jprobe jp) {
        return nosys();
    }

    @Override
    public void unregister_jprobe(Jprobe jp) {
    }

    @Override
    public int register_jprobes(Jprobe[] jps, int num) {
        return nosys();
    }

    @Override
    public void unregister_jprobes(Jprobe[] jps, int num) {
    }

    @Override
    public void jprobe_return() {
    }

    @Override
    public Kprobe kprobe_running() {
        return null;
    }

    @Override
    public int vprintk(String fmt, Object[] args) {
        nosys();
        String line = fmt + (args.length == 0 ? "" : " " + java.util.Arrays.toString(args));
        System.err.print(line.endsWith("\n") ? line : line + "\n");
        return line.length();
    }

    @Override
    public long read(long addr, int size) {
        nosys();
        return 0;
    }

    @Override
    public void write(long addr, int size, long value) {
        nosys();
    }

    @Override
    public int copy_from_kernel_nofault(byte[] dst, long src, int size) {
        return -Errno.EFAULT;
    }

    @Override
    public long strncpy_from_kernel_nofault(byte[] dst, long src, int count) {
        return -Errno.EFAULT;
    }

    @Override
    public long offsetof(String struct, String member) {
        return -1;
    }

    @Override
    public long current_task() {
        return 0;
    }

    @Override
    public int stack_trace_save(long[] store, int size, int skipnr) {
        return 0;
    }

    @Override
    public int stack_trace_save_regs(dev.ksim.sdk.PtRegs regs, long[] store, int size, int skipnr) {
        return 0;
    }

    @Override
    public long return_address(int level) {
        return 0;
    }

    @Override
    public boolean preemptible() {
        return true;
    }

    @Override
    public long ktime_get_ns() {
        return System.nanoTime();
    }

    @Override
    public long jiffies() {
        return System.nanoTime() / 4_000_000L;
    }

    @Override
    public int preempt_count() {
        return 0;
    }

    @Override
    public boolean irqs_disabled() {
        return false;
    }

    @Override
    public int smp_processor_id() {
        return 0;
    }

    @Override
    public void __might_sleep(String file, int line) {
    }

    @Override
    public void msleep(int msecs) {
        try {
            Thread.sleep(Integer.toUnsignedLong(msecs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void usleep_range(long min, long max) {
        try {
            Thread.sleep(min / 1000, (int) (min % 1000) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void schedule() {
        Thread.yield();
    }

    @Override
    public int __cond_resched() {
        return 0;
    }

    @Override
    public void dump_stack() {
        nosys();
    }

    @Override
    public long __kmalloc(long size, int flags) {
        nosys();
        return 0;
    }

    @Override
    public void kfree(long addr) {
    }

    @Override
    public void preempt_disable() {
    }

    @Override
    public void preempt_enable() {
    }

    @Override
    public long local_irq_save() {
        return 0;
    }

    @Override
    public void local_irq_restore(long flags) {
    }

    @Override
    public long get_random_u64() {
        return java.util.concurrent.ThreadLocalRandom.current().nextLong();
    }

    @Override
    public long copy_from_user(byte[] dst, long src, int n) {
        java.util.Arrays.fill(dst, 0, n, (byte) 0);
        return n;
    }

    @Override
    public long copy_to_user(long dst, byte[] src, int n) {
        return n;
    }

    @Override
    public long copy_from_user_nofault(byte[] dst, long src, int n) {
        return -Errno.EFAULT;
    }

    @Override
    public long strncpy_from_user_nofault(byte[] dst, long src, int count) {
        return -Errno.EFAULT;
    }

    @Override
    public dev.ksim.sdk.ProcDirEntry proc_create_single_data(String name, int mode, dev.ksim.sdk.ProcDirEntry parent,
            dev.ksim.sdk.ProcShow show, Object data) {
        return null;
    }

    @Override
    public void proc_remove(dev.ksim.sdk.ProcDirEntry de) {
    }

    @Override
    public int num_possible_cpus() {
        return 1;
    }

    @Override
    public int bpf_trace_printk(String fmt, Object[] args) {
        return nosys();
    }

    @Override
    public long bpf_get_current_pid_tgid() {
        return -Errno.EINVAL;
    }

    @Override
    public long bpf_get_current_uid_gid() {
        return -Errno.EINVAL;
    }

    @Override
    public int bpf_get_current_comm(byte[] buf, int size) {
        if (buf != null) {
            java.util.Arrays.fill(buf, 0, Math.min(Math.max(size, 0), buf.length), (byte) 0);
        }
        return -Errno.EINVAL;
    }
}
