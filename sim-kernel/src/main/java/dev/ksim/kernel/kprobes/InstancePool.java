package dev.ksim.kernel.kprobes;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A kretprobe's preallocated instances: a bounded, lock-free object pool in the spirit of the kernel's
 * {@code objpool}. Each CPU starts its search at its own stride of slots, one cache line apart, so CPUs
 * hitting the same kretprobe do not contend on one counter or one line.
 *
 * <p>Invariant: instance n lives in slot n ({@link RetInstance#slot}); the slot holds it while it is free
 * and null while it is in use. Taking an instance is a compare-and-set of its slot to null, so two CPUs
 * never take the same one; giving it back is a release store into its own slot, which only the CPU that
 * took it does. The hit path divides nothing: each CPU's first slot is computed once.
 */
final class InstancePool {
    /** Slots are spaced this far apart (16 references = one 64-byte line with compressed oops, or two). */
    private static final int STRIDE = 16;

    private final AtomicReferenceArray<RetInstance> slots;
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
        this.slots = new AtomicReferenceArray<>(maxactive * STRIDE);
        for (int i = 0; i < maxactive; i++) {
            slots.set(i * STRIDE, new RetInstance(holder, dataSize, i));
        }
    }

    /** {@code objpool_pop}. @param cpu the calling CPU @return a free instance, or null if none is free */
    RetInstance pop(int cpu) {
        int k = cpu >= 0 && cpu < start.length ? start[cpu] : start[Math.floorMod(cpu, start.length)];
        for (int n = 0; n < capacity; n++) {
            int i = k * STRIDE;
            RetInstance ri = slots.get(i);
            if (ri != null && slots.compareAndSet(i, ri, null)) {
                return ri;
            }
            if (++k == capacity) {
                k = 0;
            }
        }
        return null;
    }

    /** {@code objpool_push}. @param ri an instance popped from this pool (by the calling thread) */
    void push(RetInstance ri) {
        slots.setRelease(ri.slot * STRIDE, ri);
    }

    /** @return how many instances are free now (racy; for statistics and tests) */
    int free() {
        int n = 0;
        for (int k = 0; k < capacity; k++) {
            if (slots.get(k * STRIDE) != null) {
                n++;
            }
        }
        return n;
    }
}
