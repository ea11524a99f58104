package dev.ksim.sdk.spi;

import dev.ksim.sdk.Jprobe;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;

/**
 * What the SDK's static functions ({@code Kprobes}, {@code Printk}, the structure views) call in the
 * running kernel. ksim's simulated kernel implements it; a unit test can mock it and bind the mock with
 * {@link KernelBinding#bind(KernelServices)}, so module code can be tested without booting a kernel.
 *
 * <p>Every method has the kernel function's semantics: it returns 0 or a negative errno and never
 * throws for bad input.
 */
public interface KernelServices {

    /** {@code register_kprobe}. @param p the probe @return 0 or a negative errno */
    int register_kprobe(Kprobe p);

    /** {@code unregister_kprobe}; silent for a probe that is not registered. @param p the probe */
    void unregister_kprobe(Kprobe p);

    /** {@code register_kprobes}: all or nothing. @param kps probes @param num how many @return 0 or -errno */
    int register_kprobes(Kprobe[] kps, int num);

    /** {@code unregister_kprobes}. @param kps probes @param num how many */
    void unregister_kprobes(Kprobe[] kps, int num);

    /** {@code enable_kprobe}. @param p the probe @return 0 or a negative errno */
    int enable_kprobe(Kprobe p);

    /** {@code disable_kprobe}. @param p the probe @return 0 or a negative errno */
    int disable_kprobe(Kprobe p);

    /** {@code register_kretprobe}. @param rp the kretprobe @return 0 or a negative errno */
    int register_kretprobe(Kretprobe rp);

    /** {@code unregister_kretprobe}. @param rp the kretprobe */
    void unregister_kretprobe(Kretprobe rp);

    /** {@code register_kretprobes}. @param rps kretprobes @param num how many @return 0 or -errno */
    int register_kretprobes(Kretprobe[] rps, int num);

    /** {@code unregister_kretprobes}. @param rps kretprobes @param num how many */
    void unregister_kretprobes(Kretprobe[] rps, int num);

    /** {@code register_jprobe}. @param jp the jprobe @return 0 or a negative errno */
    int register_jprobe(Jprobe jp);

    /** {@code unregister_jprobe}. @param jp the jprobe */
    void unregister_jprobe(Jprobe jp);

    /** {@code register_jprobes}. @param jps jprobes @param num how many @return 0 or -errno */
    int register_jprobes(Jprobe[] jps, int num);

    /** {@code unregister_jprobes}. @param jps jprobes @param num how many */
    void unregister_jprobes(Jprobe[] jps, int num);

    /** {@code jprobe_return}: ends a jprobe handler. */
    void jprobe_return();

    /** {@code kprobe_running}. @return the probe whose handler runs on this CPU, or {@code null} */
    Kprobe kprobe_running();

    /**
     * {@code vprintk}: formats a kernel format string and stores the record in the log buffer.
     *
     * @param fmt the format, possibly starting with a {@code KERN_*} level
     * @param args the arguments
     * @return the number of characters stored
     */
    int vprintk(String fmt, Object[] args);

    /**
     * Reads kernel memory as a dereference does: a bad address faults (an oops, or the probe's
     * fault_handler).
     *
     * @param addr the address
     * @param size 1, 2, 4 or 8 bytes, read little-endian and zero-extended
     * @return the value
     */
    long read(long addr, int size);

    /**
     * Writes kernel memory as a store does: a bad address faults.
     *
     * @param addr the address
     * @param size 1, 2, 4 or 8 bytes, written little-endian
     * @param value the value (truncated to size)
     */
    void write(long addr, int size, long value);

    /**
     * {@code copy_from_kernel_nofault}: copies kernel memory without faulting.
     *
     * @param dst the destination
     * @param src the kernel address
     * @param size how many bytes
     * @return 0, or -EFAULT if any byte is not readable (dst is then unspecified); -ERANGE if the
     *     architecture refuses the address up front (x86_64: a user or non-canonical address, as
     *     {@code copy_from_kernel_nofault_allowed()} does since 5.8); -EINVAL if {@code size} is negative
     *     or exceeds {@code dst}
     */
    int copy_from_kernel_nofault(byte[] dst, long src, int size);

    /**
     * {@code strncpy_from_kernel_nofault}: copies a NUL-terminated string without faulting, with
     * {@code mm/maccess.c}'s semantics.
     *
     * @param dst the destination, NUL-terminated unless the result is 0
     * @param src the kernel address
     * @param count the most bytes to store, including the NUL
     * @return the string's length <em>including</em> the NUL; {@code count} when the string did not fit
     *     ({@code count - 1} bytes and a NUL were stored); -EFAULT on a fault (the last byte copied, if
     *     any, is replaced by a NUL); -ERANGE as for {@link #copy_from_kernel_nofault}; 0 if
     *     {@code count <= 0}; -EINVAL if {@code count} exceeds {@code dst}
     */
    long strncpy_from_kernel_nofault(byte[] dst, long src, int count);

    /**
     * {@code offsetof(struct S, member)} in the running kernel's layout (its BTF).
     *
     * @param struct the structure's name without {@code struct}, e.g. {@code "task_struct"}
     * @param member the member, e.g. {@code "pid"}, or a dotted path through embedded structures, e.g.
     *     {@code "f_path.dentry"} in {@code "file"}
     * @return the byte offset, or -1 if the kernel has no such member
     */
    long offsetof(String struct, String member);

    /** @return the address of the current task's {@code task_struct} */
    long current_task();

    /**
     * {@code stack_trace_save}: the current call chain, innermost first.
     *
     * @param store where to store the addresses
     * @param size how many to store at most
     * @param skipnr how many innermost entries to skip
     * @return the number stored
     */
    int stack_trace_save(long[] store, int size, int skipnr);

    /**
     * {@code stack_trace_save_regs}: the call chain starting at {@code regs}' instruction pointer.
     *
     * @param regs the registers of an exception or kretprobe trampoline
     * @param store where to store the addresses
     * @param size how many to store at most
     * @param skipnr how many innermost entries to skip
     * @return the number stored
     */
    int stack_trace_save_regs(dev.ksim.sdk.PtRegs regs, long[] store, int size, int skipnr);

    /**
     * {@code __builtin_return_address(level)}: the return address of the calling function (level 0) or
     * of its callers, as its stack slot holds it (a kretprobe's trampoline while the call is tracked).
     *
     * @param level 0 for the caller's own return address
     * @return the address, or 0 past the outermost frame
     */
    long return_address(int level);

    /** @return {@code preemptible()}: preempt count zero and interrupts enabled */
    boolean preemptible();

    /** @return {@code ktime_get_ns()}: nanoseconds on the kernel's monotonic clock */
    long ktime_get_ns();

    /** @return {@code jiffies}: timer ticks ({@code HZ} per second) since boot, from {@code INITIAL_JIFFIES} */
    long jiffies();

    /** @return {@code preempt_count()} of the calling CPU: preemption, softirq, hardirq and NMI nesting */
    int preempt_count();

    /** @return {@code irqs_disabled()}: whether the calling CPU has interrupts masked */
    boolean irqs_disabled();

    /** @return {@code smp_processor_id()}: the calling CPU */
    int smp_processor_id();

    /**
     * {@code __might_sleep(file, line)}: the check behind {@code might_sleep()} — in atomic context,
     * reports {@code BUG: sleeping function called from invalid context at file:line} (rate-limited).
     *
     * @param file the caller's source file
     * @param line the caller's line
     */
    void __might_sleep(String file, int line);

    /**
     * {@code msleep}: sleeps at least {@code msecs} milliseconds; may sleep.
     *
     * @param msecs milliseconds
     */
    void msleep(int msecs);

    /**
     * {@code usleep_range}: sleeps between {@code min} and {@code max} microseconds; may sleep.
     *
     * @param min the shortest sleep
     * @param max the longest sleep
     */
    void usleep_range(long min, long max);

    /** {@code schedule()}: gives the CPU up; in atomic context, {@code BUG: scheduling while atomic}. */
    void schedule();

    /** @return {@code __cond_resched()}: 1 if the task was rescheduled */
    int __cond_resched();

    /** {@code dump_stack()}: prints the CPU/task header and the current call trace. */
    void dump_stack();

    /**
     * {@code __kmalloc}: allocates kernel memory. With a blocking {@code flags} ({@code GFP_KERNEL}) in
     * atomic context, reports as {@code might_sleep()} does.
     *
     * @param size bytes
     * @param flags {@code gfp_t}
     * @return the address, {@code ZERO_SIZE_PTR} (16) for size 0, or 0 (NULL) when it cannot be satisfied
     */
    long __kmalloc(long size, int flags);

    /**
     * {@code kfree}: frees what {@link #__kmalloc} returned; NULL and {@code ZERO_SIZE_PTR} are ignored.
     *
     * @param addr the address
     */
    void kfree(long addr);

    /** {@code preempt_disable()}: raises the calling CPU's preempt count. */
    void preempt_disable();

    /** {@code preempt_enable()}: lowers it again. */
    void preempt_enable();

    /** @return {@code local_irq_save(flags)}: masks interrupts and returns the previous state */
    long local_irq_save();

    /** @param flags {@code local_irq_restore(flags)}: what {@link #local_irq_save()} returned */
    void local_irq_restore(long flags);

    /** @return {@code get_random_u64()}: seeded by the boot seed in deterministic mode */
    long get_random_u64();

    /**
     * {@code copy_from_user}: copies from the current process's memory; may fault, so may sleep
     * ({@code might_fault()}).
     *
     * @param dst the kernel buffer
     * @param src the user address
     * @param n bytes
     * @return how many bytes could not be copied (their part of {@code dst} is zeroed); 0 on success
     */
    long copy_from_user(byte[] dst, long src, int n);

    /**
     * {@code copy_to_user}: copies into the current process's memory; may fault, so may sleep.
     *
     * @param dst the user address
     * @param src the kernel buffer
     * @param n bytes
     * @return how many bytes could not be copied; 0 on success
     */
    long copy_to_user(long dst, byte[] src, int n);

    /**
     * {@code copy_from_user_nofault}: copies from the current process's memory without faulting, so it may
     * be called where sleeping is not allowed (a probe handler).
     *
     * @param dst the kernel buffer
     * @param src the user address
     * @param n bytes
     * @return 0, or {@code -EFAULT} if any byte is not mapped (or there is no user process)
     */
    long copy_from_user_nofault(byte[] dst, long src, int n);

    /**
     * {@code strncpy_from_user_nofault}: copies a NUL-terminated string from the current process's memory
     * without faulting.
     *
     * @param dst the kernel buffer
     * @param src the user address
     * @param count at most this many bytes, the NUL included
     * @return the length with the NUL; {@code count} if the string was truncated; {@code -EFAULT}
     */
    long strncpy_from_user_nofault(byte[] dst, long src, int count);

    /**
     * {@code proc_create_single_data}: a read-only file under {@code /proc} whose contents {@code show}
     * writes on each read (see {@link dev.ksim.sdk.ProcFs}).
     *
     * @param name the file's name
     * @param mode permission bits; 0 means 0444
     * @param parent its directory, or {@code null} for {@code /proc}
     * @param show writes the contents
     * @param data passed to {@code show}
     * @return the entry, or {@code null} if the name exists
     */
    dev.ksim.sdk.ProcDirEntry proc_create_single_data(String name, int mode, dev.ksim.sdk.ProcDirEntry parent,
            dev.ksim.sdk.ProcShow show, Object data);

    /**
     * {@code proc_remove}: removes a file made by {@link #proc_create_single_data}.
     *
     * @param de the entry
     */
    void proc_remove(dev.ksim.sdk.ProcDirEntry de);

    /** @return {@code num_possible_cpus()} */
    int num_possible_cpus();

    /**
     * {@code bpf_trace_printk}/{@code bpf_trace_vprintk}: checks the format as {@code bpf_bprintf_prepare()}
     * does and writes the formatted line to the tracing ring buffer as a {@code bpf_trace_printk} event of
     * the current task and CPU.
     *
     * @param fmt the format
     * @param args the arguments (at most {@code MAX_BPRINTF_VARARGS}, 12)
     * @return the number of bytes formatted, or {@code -EINVAL} for a bad format or argument list
     */
    int bpf_trace_printk(String fmt, Object[] args);

    /** @return {@code bpf_get_current_pid_tgid()}: {@code tgid << 32 | pid}, or {@code -EINVAL} without a task */
    long bpf_get_current_pid_tgid();

    /** @return {@code bpf_get_current_uid_gid()}: {@code gid << 32 | uid}, or {@code -EINVAL} without a task */
    long bpf_get_current_uid_gid();

    /**
     * {@code bpf_get_current_comm(buf, size)}.
     *
     * @param buf the destination
     * @param size bytes of it to use; the name is cut to {@code size - 1} bytes and NUL-terminated
     * @return 0, or {@code -EINVAL} without a task or for a size outside the buffer (zeroed then)
     */
    int bpf_get_current_comm(byte[] buf, int size);
}
