package dev.ksim.kernel.kprobes;

import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.Rcu;
import dev.ksim.kernel.text.KernelText;
import java.util.List;

/** What the kprobe engine needs from the rest of the kernel. */
public interface KprobeHost {
    /** @return the kernel's text */
    KernelText text();

    /** @return its CPUs */
    List<Cpu> cpus();

    /** @return its RCU */
    Rcu rcu();

    /** @return the kernel version simulated */
    dev.ksim.kernel.KernelProfile profile();

    /**
     * {@code printk}.
     *
     * @param fmt a kernel format, with its level prefix
     * @param args arguments
     */
    void printk(String fmt, Object... args);

    /**
     * {@code WARN_ON()}: prints the warning splat for a site and taints the kernel W.
     *
     * @param file the source file of the check, e.g. {@code kernel/kprobes.c}
     * @param line its line
     * @param function the function it is in
     */
    void warn(String file, int line, String function);

    /**
     * {@code BUG()}: prints the kernel BUG oops and kills the current task.
     *
     * @param file the source file
     * @param line its line
     * @return the exception that unwinds the task; throw it
     */
    RuntimeException bug(String file, int line);

    /**
     * A fault or exception in code running on a CPU: prints the oops and kills the current task.
     *
     * @param cpu the CPU
     * @param cause what went wrong (a Java exception from module code, or a description)
     * @param ip the instruction pointer it happened at, or 0 if unknown
     * @return the exception that unwinds the task; throw it
     */
    RuntimeException oops(Cpu cpu, Throwable cause, long ip);
}
