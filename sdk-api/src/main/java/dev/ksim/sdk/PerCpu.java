package dev.ksim.sdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code DEFINE_PER_CPU(T, name)}: one instance per possible CPU, so handlers on different CPUs never
 * share (and never contend for) their copy. Reach this CPU's with {@link #this_cpu_ptr()} — with
 * preemption off, as in a probe handler, or between {@link Kernel#get_cpu()} and {@link Kernel#put_cpu()};
 * sum over {@link #per_cpu_ptr(int)} to read them all.
 *
 * @param <T> the per-CPU type
 */
public final class PerCpu<T> {
    private final List<T> copies;

    /**
     * Allocates one copy per possible CPU of the running kernel.
     *
     * @param init makes each CPU's copy
     */
    public PerCpu(Supplier<T> init) {
        int n = Kernel.num_possible_cpus();
        List<T> c = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            c.add(init.get());
        }
        this.copies = Collections.unmodifiableList(c);
    }

    /** @return {@code this_cpu_ptr(&name)}: the copy of the CPU this code runs on */
    public T this_cpu_ptr() {
        return copies.get(Kernel.smp_processor_id());
    }

    /**
     * {@code per_cpu_ptr(&name, cpu)}.
     *
     * @param cpu a CPU number below {@link Kernel#num_possible_cpus()}
     * @return that CPU's copy
     */
    public T per_cpu_ptr(int cpu) {
        return copies.get(cpu);
    }
}
