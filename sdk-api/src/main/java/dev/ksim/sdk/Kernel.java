package dev.ksim.sdk;

import dev.ksim.sdk.spi.KernelBinding;

/**
 * Kernel services for module code, named as in C. Use it with
 * {@code import static dev.ksim.sdk.Kernel.*;}.
 */
public final class Kernel {
    private Kernel() {
    }

    /**
     * {@code stack_trace_save}: stores the current call chain's return addresses, innermost first. A
     * frame whose return slot a kretprobe hijacked shows its real return address, as kernels with
     * {@code CONFIG_ARCH_CORRECT_STACKTRACE_ON_KRETPROBE} do.
     *
     * @param store the buffer
     * @param size how many entries to store at most
     * @param skipnr how many innermost entries to skip
     * @return the number of entries stored
     */
    public static int stack_trace_save(long[] store, int size, int skipnr) {
        return KernelBinding.current().stack_trace_save(store, size, skipnr);
    }

    /**
     * {@code stack_trace_save_regs}: like {@link #stack_trace_save} but starting at {@code regs}'
     * instruction pointer — in a kretprobe return handler, the real return address.
     *
     * @param regs a handler's registers
     * @param store the buffer
     * @param size how many entries to store at most
     * @param skipnr how many innermost entries to skip
     * @return the number of entries stored
     */
    public static int stack_trace_save_regs(PtRegs regs, long[] store, int size, int skipnr) {
        return KernelBinding.current().stack_trace_save_regs(regs, store, size, skipnr);
    }

    /**
     * {@code __builtin_return_address(level)}: the calling function's return address as its stack slot
     * holds it. While a kretprobe tracks the call that is the trampoline
     * ({@code __kretprobe_trampoline}), as in the kernel.
     *
     * @param level 0 for the calling function, 1 for its caller, …
     * @return the address
     */
    public static long __builtin_return_address(int level) {
        return KernelBinding.current().return_address(level);
    }

    /** @return {@code preemptible()}: false in every probe handler */
    public static boolean preemptible() {
        return KernelBinding.current().preemptible();
    }

    /** @return {@code ktime_get()}: the monotonic clock in nanoseconds (a {@code ktime_t}) */
    public static long ktime_get() {
        return KernelBinding.current().ktime_get_ns();
    }

    /** @return {@code ktime_get_ns()}: the monotonic clock in nanoseconds */
    public static long ktime_get_ns() {
        return KernelBinding.current().ktime_get_ns();
    }

    /**
     * {@code ktime_to_ns}.
     *
     * @param kt a {@code ktime_t}
     * @return it in nanoseconds (ktime_t already counts nanoseconds)
     */
    public static long ktime_to_ns(long kt) {
        return kt;
    }

    /**
     * {@code ktime_sub}.
     *
     * @param a a time
     * @param b an earlier time
     * @return {@code a - b}
     */
    public static long ktime_sub(long a, long b) {
        return a - b;
    }

    // ---------------------------------------------------------------- context (<linux/preempt.h>)

    /** {@code HZ}: {@link #jiffies()} per second. */
    public static final long HZ = 250;

    private static final int SOFTIRQ_MASK = 0xff00;
    private static final int HARDIRQ_MASK = 0xf0000;
    private static final int NMI_MASK = 0xf00000;

    /** @return {@code preempt_count()}: preemption (bits 0-7), softirq (8-15), hardirq (16-19), NMI (20-23) */
    public static int preempt_count() {
        return KernelBinding.current().preempt_count();
    }

    /** @return {@code in_atomic()}: the preempt count is not zero — true in every probe handler */
    public static boolean in_atomic() {
        return preempt_count() != 0;
    }

    /** @return {@code in_interrupt()}: in NMI, hardirq or softirq context */
    public static boolean in_interrupt() {
        return (preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK)) != 0;
    }

    /** @return {@code in_hardirq()}: in hardirq (or NMI) context, as a timer interrupt is */
    public static boolean in_hardirq() {
        return (preempt_count() & HARDIRQ_MASK) != 0;
    }

    /** @return {@code in_nmi()}: in NMI context — on x86 since 5.8, every int3-path kprobe handler */
    public static boolean in_nmi() {
        return (preempt_count() & NMI_MASK) != 0;
    }

    /** @return {@code in_task()}: in process context */
    public static boolean in_task() {
        return !in_interrupt();
    }

    /** @return {@code irqs_disabled()}: interrupts are masked on this CPU */
    public static boolean irqs_disabled() {
        return KernelBinding.current().irqs_disabled();
    }

    /** @return {@code smp_processor_id()}: the CPU this code runs on */
    public static int smp_processor_id() {
        return KernelBinding.current().smp_processor_id();
    }

    /** @return {@code jiffies}: ticks since boot, {@link #HZ} per second, starting five minutes before wrap */
    public static long jiffies() {
        return KernelBinding.current().jiffies();
    }

    // ---------------------------------------------------------------- sleeping (<linux/delay.h>, <linux/sched.h>)

    /**
     * {@code might_sleep()}: documents that the caller may sleep. Called in atomic context — a probe
     * handler — it reports {@code BUG: sleeping function called from invalid context at FILE:LINE} with the
     * calling source line, a stack dump and taint W, at most once a second.
     */
    public static void might_sleep() {
        StackWalker.StackFrame f = caller();
        KernelBinding.current().__might_sleep(sourcePath(f), f.getLineNumber());
    }

    /**
     * {@code msleep}: sleeps at least {@code msecs} milliseconds. Must not be called in atomic context:
     * there it reports as {@link #might_sleep()} does, and the CPU busy-waits instead.
     *
     * @param msecs milliseconds
     */
    public static void msleep(int msecs) {
        KernelBinding.current().msleep(msecs);
    }

    /**
     * {@code ssleep}: {@code msleep(seconds * 1000)}.
     *
     * @param seconds seconds
     */
    public static void ssleep(int seconds) {
        msleep(seconds * 1000);
    }

    /**
     * {@code usleep_range}: sleeps between {@code min} and {@code max} microseconds; may sleep, as
     * {@link #msleep}.
     *
     * @param min the shortest sleep in microseconds
     * @param max the longest sleep in microseconds
     */
    public static void usleep_range(long min, long max) {
        KernelBinding.current().usleep_range(min, max);
    }

    /**
     * {@code schedule()}: gives the CPU to another task. In atomic context the kernel reports
     * {@code BUG: scheduling while atomic: comm/pid/0x%08x} (every time), dumps the stack, taints W and
     * switches anyway.
     */
    public static void schedule() {
        KernelBinding.current().schedule();
    }

    /**
     * {@code cond_resched()}: {@code might_sleep()} at the calling line, then reschedules if needed.
     *
     * @return 1 if the task was rescheduled
     */
    public static int cond_resched() {
        StackWalker.StackFrame f = caller();
        KernelBinding.current().__might_sleep(sourcePath(f), f.getLineNumber());
        return KernelBinding.current().__cond_resched();
    }

    /** {@code dump_stack()}: prints the CPU/task header and the current call trace to the kernel log. */
    public static void dump_stack() {
        KernelBinding.current().dump_stack();
    }

    // ---------------------------------------------------------------- memory (<linux/slab.h>)

    /** {@code __GFP_ZERO}: zero the allocation. */
    public static final int __GFP_ZERO = 0x100;
    /** {@code GFP_KERNEL}: may sleep to reclaim memory — not in atomic context. */
    public static final int GFP_KERNEL = 0xcc0;
    /** {@code GFP_ATOMIC}: never sleeps; for handlers and under spinlocks. */
    public static final int GFP_ATOMIC = 0x820;
    /** {@code GFP_NOWAIT}: never sleeps, no reserves. */
    public static final int GFP_NOWAIT = 0x800;

    /**
     * {@code kmalloc}: allocates kernel memory (read and write it with {@link Maccess}). {@code GFP_KERNEL}
     * in atomic context is reported as a sleeping call; use {@code GFP_ATOMIC} there.
     *
     * @param size bytes
     * @param flags {@code GFP_KERNEL}, {@code GFP_ATOMIC}, … optionally with {@code __GFP_ZERO}
     * @return the address; {@code ZERO_SIZE_PTR} (16) for size 0; 0 (NULL) if it cannot be satisfied
     */
    public static long kmalloc(long size, int flags) {
        return KernelBinding.current().__kmalloc(size, flags);
    }

    /**
     * {@code kzalloc}: {@code kmalloc(size, flags | __GFP_ZERO)}.
     *
     * @param size bytes
     * @param flags the GFP flags
     * @return the zeroed memory, or 0 (NULL)
     */
    public static long kzalloc(long size, int flags) {
        return kmalloc(size, flags | __GFP_ZERO);
    }

    /**
     * {@code kfree}: frees what {@link #kmalloc} returned; NULL is ignored, a double free is reported as
     * the slab allocator reports it.
     *
     * @param addr the address
     */
    public static void kfree(long addr) {
        KernelBinding.current().kfree(addr);
    }

    // ---------------------------------------------------------------- randomness (<linux/random.h>)

    /** @return {@code get_random_u32()}; in a deterministic boot, the same sequence for the same seed */
    public static int get_random_u32() {
        return (int) KernelBinding.current().get_random_u64();
    }

    /** @return {@code get_random_u64()} */
    public static long get_random_u64() {
        return KernelBinding.current().get_random_u64();
    }

    // ---------------------------------------------------------------- preemption, interrupts, locks

    /** {@code preempt_disable()}: this code is now atomic until the matching {@link #preempt_enable()}. */
    public static void preempt_disable() {
        KernelBinding.current().preempt_disable();
    }

    /** {@code preempt_enable()}. */
    public static void preempt_enable() {
        KernelBinding.current().preempt_enable();
    }

    /** @return {@code local_irq_save(flags)}: masks interrupts, returning the state to restore */
    public static long local_irq_save() {
        return KernelBinding.current().local_irq_save();
    }

    /** @param flags {@code local_irq_restore(flags)}: what {@link #local_irq_save()} returned */
    public static void local_irq_restore(long flags) {
        KernelBinding.current().local_irq_restore(flags);
    }

    /** @param lock {@code spin_lock(&lock)}: preemption off, then spins until the lock is taken */
    public static void spin_lock(Spinlock lock) {
        preempt_disable();
        try {
            lock.acquire();
        } catch (RuntimeException e) {
            preempt_enable();
            throw e;
        }
    }

    /** @param lock {@code spin_unlock(&lock)} */
    public static void spin_unlock(Spinlock lock) {
        lock.release();
        preempt_enable();
    }

    /** @param lock {@code spin_trylock(&lock)} @return whether it was taken (then preemption is off) */
    public static boolean spin_trylock(Spinlock lock) {
        preempt_disable();
        if (lock.tryAcquire()) {
            return true;
        }
        preempt_enable();
        return false;
    }

    /**
     * {@code spin_lock_irqsave(&lock, flags)}: interrupts and preemption off, then the lock.
     *
     * @param lock the lock
     * @return {@code flags}, for {@link #spin_unlock_irqrestore}
     */
    public static long spin_lock_irqsave(Spinlock lock) {
        long flags = local_irq_save();
        try {
            spin_lock(lock);
        } catch (RuntimeException e) {
            local_irq_restore(flags);
            throw e;
        }
        return flags;
    }

    /**
     * {@code spin_unlock_irqrestore(&lock, flags)}.
     *
     * @param lock the lock
     * @param flags what {@link #spin_lock_irqsave} returned
     */
    public static void spin_unlock_irqrestore(Spinlock lock, long flags) {
        lock.release();
        local_irq_restore(flags);
        preempt_enable();
    }

    /**
     * {@code mutex_lock(&m)}: may sleep until the mutex is free; in atomic context reported as
     * {@code BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580}.
     *
     * @param m the mutex
     */
    public static void mutex_lock(Mutex m) {
        KernelBinding.current().__might_sleep("kernel/locking/mutex.c", 580);
        m.acquire();
    }

    /** @param m {@code mutex_trylock(&m)}: never sleeps @return 1 if taken, else 0 */
    public static int mutex_trylock(Mutex m) {
        return m.tryAcquire() ? 1 : 0;
    }

    /** @param m {@code mutex_unlock(&m)} */
    public static void mutex_unlock(Mutex m) {
        m.release();
    }

    /**
     * {@code down(&sem)}: takes a unit, sleeping until one is free; may sleep, so reported in atomic
     * context ({@code kernel/locking/semaphore.c}).
     *
     * @param sem the semaphore
     */
    public static void down(Semaphore sem) {
        KernelBinding.current().__might_sleep("kernel/locking/semaphore.c", 57);
        sem.down();
    }

    /**
     * {@code down_trylock(&sem)}: never sleeps. Note the kernel's inverted result.
     *
     * @param sem the semaphore
     * @return 0 if a unit was taken, 1 if none was free
     */
    public static int down_trylock(Semaphore sem) {
        return sem.tryDown() ? 0 : 1;
    }

    /** @param sem {@code up(&sem)}: gives a unit back; never sleeps, fine in a handler */
    public static void up(Semaphore sem) {
        sem.up();
    }

    // ---------------------------------------------------------------- tasks, CPUs, user memory

    /** @return {@code current}: the task this code runs for (pid, tgid, comm, mm, cred …) */
    public static dev.ksim.sdk.linux.TaskStruct current() {
        return dev.ksim.sdk.linux.TaskStruct.current();
    }

    /** @return {@code num_possible_cpus()} */
    public static int num_possible_cpus() {
        return KernelBinding.current().num_possible_cpus();
    }

    /** @return {@code get_cpu()}: preemption off, then {@link #smp_processor_id()}; pair with {@link #put_cpu()} */
    public static int get_cpu() {
        preempt_disable();
        return smp_processor_id();
    }

    /** {@code put_cpu()}: preemption back on. */
    public static void put_cpu() {
        preempt_enable();
    }

    /**
     * {@code copy_from_user}: reads the current process's memory. It may fault a page in, so it may sleep
     * ({@code might_fault()}): in a probe handler it is reported; use
     * {@link Maccess#copy_from_kernel_nofault} or a {@code _nofault} user read there instead.
     *
     * @param to the kernel buffer
     * @param from the user address
     * @param n bytes
     * @return how many bytes could not be copied (0 on success; the caller returns {@code -EFAULT})
     */
    public static long copy_from_user(byte[] to, long from, int n) {
        return KernelBinding.current().copy_from_user(to, from, n);
    }

    /**
     * {@code copy_to_user}: writes the current process's memory; may sleep, as {@link #copy_from_user}.
     *
     * @param to the user address
     * @param from the kernel buffer
     * @param n bytes
     * @return how many bytes could not be copied
     */
    public static long copy_to_user(long to, byte[] from, int n) {
        return KernelBinding.current().copy_to_user(to, from, n);
    }

    private static StackWalker.StackFrame caller() {
        return StackWalker.getInstance().walk(s -> s.skip(2).findFirst()).orElseThrow();
    }

    /** {@code __FILE__} of a Java frame: its package as a directory, then the source file. */
    private static String sourcePath(StackWalker.StackFrame f) {
        String cls = f.getClassName();
        int dot = cls.lastIndexOf('.');
        String dir = dot < 0 ? "" : cls.substring(0, dot).replace('.', '/') + "/";
        return dir + (f.getFileName() != null ? f.getFileName() : cls.substring(dot + 1) + ".java");
    }
}
