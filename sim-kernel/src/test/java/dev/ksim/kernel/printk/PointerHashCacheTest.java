package dev.ksim.kernel.printk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The cached {@code %p} id is always exactly {@code siphash_1u64(ptr, key) & 0xffffffff}. */
class PointerHashCacheTest {

    static final long OTHER_K0 = 0x1122334455667788L;
    static final long OTHER_K1 = 0x99aabbccddeeff00L;

    static long uncached(long ptr, long k0, long k1) {
        return SipHash.siphash_1u64(ptr, k0, k1) & 0xffffffffL;
    }

    /** Kernel-looking and random pointers, each asked three times (a miss, then hits or evictions). */
    @Test
    void manyPointersHashAsSipHash() {
        PointerHashCache c = new PointerHashCache();
        SplittableRandom rnd = new SplittableRandom(42);
        long[] ptrs = new long[5_000];
        for (int k = 0; k < ptrs.length; k++) {
            ptrs[k] = k % 2 == 0 ? 0xffff888000000000L + ((long) k << 6) : rnd.nextLong();
        }
        for (int round = 0; round < 3; round++) {
            for (long p : ptrs) {
                assertEquals(uncached(p, SipHashTest.K0, SipHashTest.K1), c.hash(p, SipHashTest.K0, SipHashTest.K1),
                        Long.toHexString(p));
            }
        }
    }

    /** Two pointers in the same slot replace each other; each still gets its own id. */
    @Test
    void pointersSharingASlotKeepTheirOwnIds() {
        long a = 0xffffffff810883e0L;
        long b = a + 8;
        while (PointerHashCache.slot(b) != PointerHashCache.slot(a)) {
            b += 8;
        }
        PointerHashCache c = new PointerHashCache();
        for (int round = 0; round < 4; round++) {
            assertEquals(uncached(a, SipHashTest.K0, SipHashTest.K1), c.hash(a, SipHashTest.K0, SipHashTest.K1));
            assertEquals(uncached(b, SipHashTest.K0, SipHashTest.K1), c.hash(b, SipHashTest.K0, SipHashTest.K1));
        }
        assertNotEquals(c.hash(a, SipHashTest.K0, SipHashTest.K1), c.hash(b, SipHashTest.K0, SipHashTest.K1));
    }

    /** Another key (another kernel's formatter on this thread) never sees ids computed under the first. */
    @Test
    void keyChangeEmptiesTheCache() {
        PointerHashCache c = new PointerHashCache();
        long[] ptrs = {0xffffffff810883e0L, 0xffff888012345670L, 0xffffffffc0a00000L, 1, -4096};
        for (int round = 0; round < 3; round++) {
            for (long p : ptrs) {
                assertEquals(uncached(p, SipHashTest.K0, SipHashTest.K1), c.hash(p, SipHashTest.K0, SipHashTest.K1));
                assertEquals(uncached(p, OTHER_K0, OTHER_K1), c.hash(p, OTHER_K0, OTHER_K1));
                assertEquals(uncached(p, 0, 0), c.hash(p, 0, 0));
            }
        }
    }

    /** The pointer 0 (an empty slot's marker) is hashed, never taken from an empty slot. */
    @Test
    void zeroIsNeverAHit() {
        PointerHashCache c = new PointerHashCache();
        assertEquals(uncached(0, 0, 0), c.hash(0, 0, 0));
        assertEquals(uncached(0, SipHashTest.K0, SipHashTest.K1), c.hash(0, SipHashTest.K0, SipHashTest.K1));
        assertEquals(uncached(0, SipHashTest.K0, SipHashTest.K1), c.hash(0, SipHashTest.K0, SipHashTest.K1));
    }

    /** Two formatters with different keys on one thread, alternating: each prints its own ids. */
    @Test
    void formattersWithDifferentKeysAlternate() {
        Vsprintf a = new Vsprintf(null, SipHashTest.K0, SipHashTest.K1);
        Vsprintf b = new Vsprintf(null, OTHER_K0, OTHER_K1);
        for (int k = 0; k < 200; k++) {
            long p = 0xffff888000000000L + k * 0x40L;
            assertEquals(String.format("%016x", a.hashPointer(p)), a.sprintf("%p", p));
            assertEquals(String.format("%016x", b.hashPointer(p)), b.sprintf("%p", p));
            assertEquals(String.format("%016x", a.hashPointer(p)), a.sprintf("%pK", p));
        }
    }
}
