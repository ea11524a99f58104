package dev.ksim.kernel.printk;

/**
 * Who is calling printk: the task (by pid) or, in interrupt context, the CPU. It gives the record
 * its caller id ({@code printk_caller_id()}: {@code T<pid>} in task context, {@code C<cpu>} otherwise),
 * which decides whether a {@code KERN_CONT} fragment may be merged into the previous record, and is
 * shown by {@code dmesg} on kernels built with {@code CONFIG_PRINTK_CALLER}.
 *
 * @param pid the current task's pid ({@code task_pid_nr(current)}); 0 for the idle task
 * @param cpu the CPU the caller runs on ({@code raw_smp_processor_id()})
 * @param inIrq {@code true} when not in task context ({@code !in_task()}: hard or soft irq, NMI)
 */
public record CallerInfo(int pid, int cpu, boolean inIrq) {

    /** The idle task (pid 0) on CPU 0, the caller of early-boot messages. */
    public static final CallerInfo BOOT = new CallerInfo(0, 0, false);

    /** Bit 31 of a caller id marks a CPU number rather than a pid. */
    public static final int CPU_FLAG = 0x80000000;

    /**
     * Checks the invariants.
     *
     * @param pid {@code >= 0}
     * @param cpu {@code >= 0}
     * @param inIrq not in task context
     */
    public CallerInfo {
        if (pid < 0 || cpu < 0) {
            throw new IllegalArgumentException("pid and cpu must be >= 0: " + pid + ", " + cpu);
        }
    }

    /**
     * A caller in task context.
     *
     * @param pid the task's pid
     * @param cpu its CPU
     * @return the caller
     */
    public static CallerInfo task(int pid, int cpu) {
        return new CallerInfo(pid, cpu, false);
    }

    /**
     * A caller in interrupt context.
     *
     * @param cpu the interrupted CPU
     * @return the caller
     */
    public static CallerInfo irq(int cpu) {
        return new CallerInfo(0, cpu, true);
    }

    /** @return {@code printk_caller_id()}: the pid, or {@link #CPU_FLAG} | cpu in interrupt context */
    public int callerId() {
        return inIrq ? CPU_FLAG | cpu : pid;
    }

    /**
     * Renders a caller id as the kernel does ({@code "%c%u"}): {@code T1234} or {@code C3}.
     *
     * @param callerId a value from {@link #callerId()}
     * @return the text
     */
    public static String format(int callerId) {
        return ((callerId & CPU_FLAG) != 0 ? "C" : "T") + Integer.toUnsignedString(callerId & ~CPU_FLAG);
    }
}
