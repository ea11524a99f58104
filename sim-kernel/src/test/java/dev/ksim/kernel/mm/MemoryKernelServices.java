package dev.ksim.kernel.mm;

import dev.ksim.sdk.Jprobe;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.spi.KernelServices;

/**
 * A test kernel whose memory services are a real {@link KernelMemory} and {@link StructLayouts}, wired
 * the way the simulated kernel is meant to wire them; probe registration is not supported.
 */
final class MemoryKernelServices implements KernelServices {
    private final KernelMemory memory;
    private final StructLayouts layouts;
    /** The task {@link #current_task()} returns; written by the test thread before binding. */
    volatile long current;

    MemoryKernelServices(KernelMemory memory, StructLayouts layouts) {
        this.memory = memory;
        this.layouts = layouts;
    }

    @Override
    public long read(long addr, int size) {
        return memory.read(addr, size);
    }

    @Override
    public void write(long addr, int size, long value) {
        memory.write(addr, size, value);
    }

    @Override
    public int copy_from_kernel_nofault(byte[] dst, long src, int size) {
        return memory.copyFromKernelNofault(dst, src, size);
    }

    @Override
    public long strncpy_from_kernel_nofault(byte[] dst, long src, int count) {
        return memory.strncpyFromKernelNofault(dst, src, count);
    }

    @Override
    public long offsetof(String struct, String member) {
        return layouts.offsetof(struct, member);
    }

    @Override
    public long current_task() {
        return current;
    }

    @Override
    public int vprintk(String fmt, Object[] args) {
        return 0;
    }

    @Override
    public Kprobe kprobe_running() {
        return null;
    }

    @Override
    public void jprobe_return() {
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("probes are not part of the memory test kernel");
    }

    @Override
    public int register_kprobe(Kprobe p) {
        throw unsupported();
    }

    @Override
    public void unregister_kprobe(Kprobe p) {
        throw unsupported();
    }

    @Override
    public int register_kprobes(Kprobe[] kps, int num) {
        throw unsupported();
    }

    @Override
    public void unregister_kprobes(Kprobe[] kps, int num) {
        throw unsupported();
    }

    @Override
    public int enable_kprobe(Kprobe p) {
        throw unsupported();
    }

    @Override
    public int disable_kprobe(Kprobe p) {
        throw unsupported();
    }

    @Override
    public int register_kretprobe(Kretprobe rp) {
        throw unsupported();
    }

    @Override
    public void unregister_kretprobe(Kretprobe rp) {
        throw unsupported();
    }

    @Override
    public int register_kretprobes(Kretprobe[] rps, int num) {
        throw unsupported();
    }

    @Override
    public void unregister_kretprobes(Kretprobe[] rps, int num) {
        throw unsupported();
    }

    @Override
    public int register_jprobe(Jprobe jp) {
        throw unsupported();
    }

    @Override
    public void unregister_jprobe(Jprobe jp) {
        throw unsupported();
    }

    @Override
    public int register_jprobes(Jprobe[] jps, int num) {
        throw unsupported();
    }

    @Override
    public void unregister_jprobes(Jprobe[] jps, int num) {
        throw unsupported();
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
    }

    @Override
    public long __kmalloc(long size, int flags) {
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
    public int num_possible_cpus() {
        return 1;
    }
}
