package dev.ksim.kernel.mm;

import java.util.Arrays;

/**
 * A growable double-ended queue of {@code long}s without boxing, used for slab free lists and
 * quarantines. Not thread-safe: each owner guards it with its own lock.
 */
final class LongRing {
    private long[] items = new long[16];
    /** Index of the first element. */
    private int head;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void addLast(long v) {
        if (size == items.length) {
            long[] grown = new long[items.length * 2];
            for (int i = 0; i < size; i++) {
                grown[i] = items[(head + i) & (items.length - 1)];
            }
            items = grown;
            head = 0;
        }
        items[(head + size) & (items.length - 1)] = v;
        size++;
    }

    /** @return the first element; the ring must not be empty */
    long pollFirst() {
        long v = items[head];
        head = (head + 1) & (items.length - 1);
        size--;
        return v;
    }

    /** @return the last element; the ring must not be empty */
    long pollLast() {
        size--;
        return items[(head + size) & (items.length - 1)];
    }

    /**
     * @param v a value
     * @return true if the ring holds it (linear scan)
     */
    boolean contains(long v) {
        for (int i = 0; i < size; i++) {
            if (items[(head + i) & (items.length - 1)] == v) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = items[(head + i) & (items.length - 1)];
        }
        return Arrays.toString(out);
    }
}
