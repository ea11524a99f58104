package dev.ksim.kernel.kprobes;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A kretprobe's preallocated instances: a bounded, lock-free object pool in the spirit of the kernel's
 * {@code objpool}. Each CPU starts its search at its own stride of slots, one cache line apart, so CPUs
 * hitting the same kretprobe do not contend on one counter or one line.
 */
final class InstancePool {
    /** Slots are spaced this far apart (16 references = one 64-byte line with compressed oops, or two). */
    private static final int STRIDE = 16;

    private final AtomicReferenceArray<RetInstance> slots;
    private final int capacity;
    private final int cpus;

    InstancePool(Kretprobes.Holder holder, int maxactive, int dataSize, int cpus) {
        this.capacity = maxactive;
        this.cpus = Math.max(1, cpus);
        this.slots = new AtomicReferenceArray<>(maxactive * STRIDE);
        for (int i = 0; i < maxactive; i++) {
            slots.set(i * STRIDE, new RetInstance(holder, dataSize));
        }
    }

    private int start(int cpu) {
        return (int) ((long) Math.floorMod(cpu, cpus) * capacity / cpus);
    }

    /** {@code objpool_pop}. @param cpu the calling CPU @return a free instance, or null if none is free */
    RetInstance pop(int cpu) {
        int s = start(cpu);
        for (int k = 0; k < capacity; k++) {
            int i = ((s + k) % capacity) * STRIDE;
            RetInstance ri = slots.get(i);
            if (ri != null && slots.compareAndSet(i, ri, null)) {
                return ri;
            }
        }
        return null;
    }

    /** {@code objpool_push}. @param ri an instance popped from this pool @param cpu the calling CPU */
    void push(RetInstance ri, int cpu) {
        int s = start(cpu);
        for (int k = 0; ; k++) {
            int i = ((s + k) % capacity) * STRIDE;
            if (slots.get(i) == null && slots.compareAndSet(i, null, ri)) {
                return;
            }
        }
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
