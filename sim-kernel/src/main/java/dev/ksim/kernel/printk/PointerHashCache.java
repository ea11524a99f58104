package dev.ksim.kernel.printk;

import java.util.Arrays;

/**
 * The ids {@code %p} printed for one thread's recent pointers: a small direct-mapped cache in front of
 * {@code ptr_to_hashval()} (SipHash-2-4 of the pointer under the formatter's key, low 32 bits), so a
 * pointer printed again (a probe printing its own address on every hit) is not hashed again. The result
 * is always exactly the hash: a slot holds a pointer together with its id under {@link #key0}/{@link #key1},
 * and the cache is emptied when asked for another key (another kernel's formatter on the same thread).
 *
 * <p>Scratch state of one thread (held by its {@link FormatBuffer}); never shared between threads.
 */
final class PointerHashCache {
    /** log2 of the number of slots. */
    private static final int SLOT_BITS = 6;

    /** The key the cached ids were computed under; {@code (0, 0)} while empty. */
    private long key0;
    private long key1;
    /**
     * Slot i: a pointer (0 = empty: the pointer 0 is never hashed, {@code %p} prints NULL raw, and is
     * never cached) and, in {@link #ids}, its id under the key.
     */
    private final long[] pointers = new long[1 << SLOT_BITS];
    private final int[] ids = new int[1 << SLOT_BITS];

    /**
     * {@code siphash_1u64(ptr, key) & 0xffffffff}, from the cache when this pointer's slot holds it.
     *
     * @param ptr the pointer
     * @param k0 {@code ptr_key.key[0]}
     * @param k1 {@code ptr_key.key[1]}
     * @return the 32-bit id, as an unsigned value
     */
    long hash(long ptr, long k0, long k1) {
        if (k0 != key0 || k1 != key1) {
            Arrays.fill(pointers, 0);
            key0 = k0;
            key1 = k1;
        }
        int slot = slot(ptr);
        if (pointers[slot] == ptr && ptr != 0) {
            return ids[slot] & 0xffffffffL;
        }
        long id = SipHash.siphash_1u64(ptr, k0, k1) & 0xffffffffL;
        if (ptr != 0) {
            pointers[slot] = ptr;
            ids[slot] = (int) id;
        }
        return id;
    }

    /** Fibonacci hashing: the top bits of the product spread aligned pointers over the slots. */
    static int slot(long ptr) {
        return (int) ((ptr * 0x9E3779B97F4A7C15L) >>> (64 - SLOT_BITS));
    }

    /** @return the number of slots */
    static int slots() {
        return 1 << SLOT_BITS;
    }
}
