package dev.ksim.kernel.kprobes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A kretprobe's preallocated instances: a bounded, lock-free object pool in the spirit of the kernel's
 * {@code objpool}. Each CPU starts its search at its own stride of slots, one cache line apart, so CPUs
 * hitting the same kretprobe do not contend on one counter or one line.
 *
 * <p>Invariant: instance n is {@code instances[n]} for good; its free flag (1 free, 0 in use) is in its
 * own cache line. Taking an instance is a compare-and-set of its flag from 1 to 0, so two CPUs never
 * take the same one; giving it back is a release store of 1, which only the CPU that took it does. The
 * hot path divides nothing and stores no references (a reference store into this long-lived pool would
 * cost a garbage-collector card-marking fence): each CPU's first slot is computed once.
 */
final class InstancePool {
    /** Flags are spaced this far apart: 16 ints, one 64-byte cache line. */
    private static final int STRIDE = 16;

    private static final VarHandle FLAG = MethodHandles.arrayElementVarHandle(int[].class);

    private final RetInstance[] instances;
    /**
     * {@code free[(n + 1) * STRIDE]}: whether instance n is free; accessed through {@link #FLAG} only. An
     * unused stride at each end keeps the flags off the line holding the array's length and off the
     * neighbouring objects.
     */
    private final int[] free;
    private final int capacity;
    /** Where each CPU starts looking: CPUs are spread evenly over the instances. */
    private final int[] start;

    InstancePool(Kretprobes.Holder holder, int maxactive, int dataSize, int cpus) {
        this.capacity = maxactive;
        int n = Math.max(1, cpus);
        this.start = new int[n];
        for (int c = 0; c < n; c++) {
            start[c] = (int) ((long) c * maxactive / n);
        }
        this.instances = new RetInstance[maxactive];
        this.free = new int[(maxactive + 2) * STRIDE];
        for (int i = 0; i < maxactive; i++) {
            instances[i] = new RetInstance(holder, dataSize, i);
            FLAG.setVolatile(free, flag(i), 1);
        }
    }

    /** @return the index of instance n's free flag */
    private static int flag(int n) {
        return (n + 1) * STRIDE;
    }

    /** {@code objpool_pop}. @param cpu the calling CPU @return a free instance, or null if none is free */
    RetInstance pop(int cpu) {
        RetInstance[] instances = this.instances; // read before the compare-and-set, which holds loads back
        int k = cpu >= 0 && cpu < start.length ? start[cpu] : start[Math.floorMod(cpu, start.length)];
        for (int n = 0; n < capacity; n++) {
            int i = flag(k);
            if ((int) FLAG.getVolatile(free, i) != 0 && FLAG.compareAndSet(free, i, 1, 0)) {
                return instances[k];
            }
            if (++k == capacity) {
                k = 0;
            }
        }
        return null;
    }

    /** {@code objpool_push}. @param ri an instance popped from this pool (by the calling thread) */
    void push(RetInstance ri) {
        FLAG.setRelease(free, flag(ri.slot), 1);
    }

    /**
     * Clears every instance's kretprobe once it is unregistered and a grace period has passed (no entry
     * handler fills an instance any more; a return through one skips the handler, its holder being detached).
     */
    void forgetKretprobe() {
        for (RetInstance ri : instances) {
            ri.ri.rp = null;
        }
    }

    /** @return how many instances are free now (racy; for statistics and tests) */
    int free() {
        int n = 0;
        for (int k = 0; k < capacity; k++) {
            if ((int) FLAG.getVolatile(free, flag(k)) != 0) {
                n++;
            }
        }
        return n;
    }
}
