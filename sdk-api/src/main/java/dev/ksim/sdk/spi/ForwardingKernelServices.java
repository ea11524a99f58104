package dev.ksim.sdk.spi;

import dev.ksim.sdk.Jprobe;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;
import java.util.Objects;

/**
 * A {@link KernelServices} that passes every call to another one; subclasses override what they
 * change. The SDK uses it to run code against a kernel whose loads never fault
 * ({@code Maccess.core_read}); tests can use it to observe or alter a few calls of a real kernel.
 */
public abstract class ForwardingKernelServices implements KernelServices {
    private final KernelServices delegate;

    /** @param delegate the kernel that receives every call not overridden */
    protected ForwardingKernelServices(KernelServices delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** @return the kernel that receives every call not overridden */
    protected final KernelServices delegate() {
        return delegate;
    }

    @Override
    public int register_kprobe(Kprobe p) {
        return delegate.register_kprobe(p);
    }

    @Override
    public void unregister_kprobe(Kprobe p) {
        delegate.unregister_kprobe(p);
    }

    @Override
    public int register_kprobes(Kprobe[] kps, int num) {
        return delegate.register_kprobes(kps, num);
    }

    @Override
    public void unregister_kprobes(Kprobe[] kps, int num) {
        delegate.unregister_kprobes(kps, num);
    }

    @Override
    public int enable_kprobe(Kprobe p) {
        return delegate.enable_kprobe(p);
    }

    @Override
    public int disable_kprobe(Kprobe p) {
        return delegate.disable_kprobe(p);
    }

    @Override
    public int register_kretprobe(Kretprobe rp) {
        return delegate.register_kretprobe(rp);
    }

    @Override
    public void unregister_kretprobe(Kretprobe rp) {
        delegate.unregister_kretprobe(rp);
    }

    @Override
    public int register_kretprobes(Kretprobe[] rps, int num) {
        return delegate.register_kretprobes(rps, num);
    }

    @Override
    public void unregister_kretprobes(Kretprobe[] rps, int num) {
        delegate.unregister_kretprobes(rps, num);
    }

    @Override
    public int register_jprobe(Jprobe jp) {
        return delegate.register_jprobe(jp);
    }

    @Override
    public void unregister_jprobe(Jprobe jp) {
        delegate.unregister_jprobe(jp);
    }

    @Override
    public int register_jprobes(Jprobe[] jps, int num) {
        return delegate.register_jprobes(jps, num);
    }

    @Override
    public void unregister_jprobes(Jprobe[] jps, int num) {
        delegate.unregister_jprobes(jps, num);
    }

    @Override
    public void jprobe_return() {
        delegate.jprobe_return();
    }

    @Override
    public Kprobe kprobe_running() {
        return delegate.kprobe_running();
    }

    @Override
    public int vprintk(String fmt, Object[] args) {
        return delegate.vprintk(fmt, args);
    }

    @Override
    public long read(long addr, int size) {
        return delegate.read(addr, size);
    }

    @Override
    public void write(long addr, int size, long value) {
        delegate.write(addr, size, value);
    }

    @Override
    public int copy_from_kernel_nofault(byte[] dst, long src, int size) {
        return delegate.copy_from_kernel_nofault(dst, src, size);
    }

    @Override
    public long strncpy_from_kernel_nofault(byte[] dst, long src, int count) {
        return delegate.strncpy_from_kernel_nofault(dst, src, count);
    }

    @Override
    public long offsetof(String struct, String member) {
        return delegate.offsetof(struct, member);
    }

    @Override
    public long current_task() {
        return delegate.current_task();
    }

    @Override
    public int stack_trace_save(long[] store, int size, int skipnr) {
        return delegate.stack_trace_save(store, size, skipnr);
    }

    @Override
    public int stack_trace_save_regs(dev.ksim.sdk.PtRegs regs, long[] store, int size, int skipnr) {
        return delegate.stack_trace_save_regs(regs, store, size, skipnr);
    }

    @Override
    public long return_address(int level) {
        return delegate.return_address(level);
    }

    @Override
    public boolean preemptible() {
        return delegate.preemptible();
    }

    @Override
    public long ktime_get_ns() {
        return delegate.ktime_get_ns();
    }

    @Override
    public long jiffies() {
        return delegate.jiffies();
    }

    @Override
    public int preempt_count() {
        return delegate.preempt_count();
    }

    @Override
    public boolean irqs_disabled() {
        return delegate.irqs_disabled();
    }

    @Override
    public int smp_processor_id() {
        return delegate.smp_processor_id();
    }

    @Override
    public void __might_sleep(String file, int line) {
        delegate.__might_sleep(file, line);
    }

    @Override
    public void msleep(int msecs) {
        delegate.msleep(msecs);
    }

    @Override
    public void usleep_range(long min, long max) {
        delegate.usleep_range(min, max);
    }

    @Override
    public void schedule() {
        delegate.schedule();
    }

    @Override
    public int __cond_resched() {
        return delegate.__cond_resched();
    }

    @Override
    public void dump_stack() {
        delegate.dump_stack();
    }

    @Override
    public long __kmalloc(long size, int flags) {
        return delegate.__kmalloc(size, flags);
    }

    @Override
    public void kfree(long addr) {
        delegate.kfree(addr);
    }

    @Override
    public void preempt_disable() {
        delegate.preempt_disable();
    }

    @Override
    public void preempt_enable() {
        delegate.preempt_enable();
    }

    @Override
    public long local_irq_save() {
        return delegate.local_irq_save();
    }

    @Override
    public void local_irq_restore(long flags) {
        delegate.local_irq_restore(flags);
    }

    @Override
    public long get_random_u64() {
        return delegate.get_random_u64();
    }

    @Override
    public long copy_from_user(byte[] dst, long src, int n) {
        return delegate.copy_from_user(dst, src, n);
    }

    @Override
    public long copy_to_user(long dst, byte[] src, int n) {
        return delegate.copy_to_user(dst, src, n);
    }

    @Override
    public long copy_from_user_nofault(byte[] dst, long src, int n) {
        return delegate.copy_from_user_nofault(dst, src, n);
    }

    @Override
    public long strncpy_from_user_nofault(byte[] dst, long src, int count) {
        return delegate.strncpy_from_user_nofault(dst, src, count);
    }

    @Override
    public dev.ksim.sdk.ProcDirEntry proc_create_single_data(String name, int mode, dev.ksim.sdk.ProcDirEntry parent,
            dev.ksim.sdk.ProcShow show, Object data) {
        return delegate.proc_create_single_data(name, mode, parent, show, data);
    }

    @Override
    public void proc_remove(dev.ksim.sdk.ProcDirEntry de) {
        delegate.proc_remove(de);
    }

    @Override
    public int num_possible_cpus() {
        return delegate.num_possible_cpus();
    }

    @Override
    public int bpf_trace_printk(String fmt, Object[] args) {
        return delegate.bpf_trace_printk(fmt, args);
    }

    @Override
    public long bpf_get_current_pid_tgid() {
        return delegate.bpf_get_current_pid_tgid();
    }

    @Override
    public long bpf_get_current_uid_gid() {
        return delegate.bpf_get_current_uid_gid();
    }

    @Override
    public int bpf_get_current_comm(byte[] buf, int size) {
        return delegate.bpf_get_current_comm(buf, size);
    }
}
