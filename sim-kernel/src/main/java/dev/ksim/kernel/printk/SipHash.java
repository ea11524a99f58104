package dev.ksim.kernel.printk;

/**
 * SipHash-2-4, the keyed PRF the kernel uses to turn pointers into the 32-bit ids that {@code %p}
 * prints ({@code lib/siphash.c}). Keys are the two 64-bit words of a {@code siphash_key_t}
 * ({@code key[0]}, {@code key[1]}); multi-byte values are read little-endian, as on x86-64.
 *
 * <p>Stateless and allocation-free; safe from any thread.
 */
public final class SipHash {

    private SipHash() {
    }

    /**
     * {@code siphash_1u64}: SipHash-2-4 of one 64-bit word (equal to {@link #hash} of its 8
     * little-endian bytes).
     *
     * @param first the value to hash
     * @param k0 {@code key[0]}
     * @param k1 {@code key[1]}
     * @return the 64-bit hash
     */
    public static long siphash_1u64(long first, long k0, long k1) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        long b = 8L << 56;

        v3 ^= first;
        // two compression rounds
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        v0 ^= first;
        return finish(v0, v1, v2, v3, b);
    }

    /**
     * SipHash-2-4 of a byte string ({@code siphash(data, len, key)}).
     *
     * @param data the bytes
     * @param k0 {@code key[0]}
     * @param k1 {@code key[1]}
     * @return the 64-bit hash
     */
    public static long hash(byte[] data, long k0, long k1) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        int len = data.length;
        long b = ((long) len) << 56;
        int end = len - (len & 7);
        for (int i = 0; i < end; i += 8) {
            long m = 0;
            for (int j = 7; j >= 0; j--) {
                m = (m << 8) | (data[i + j] & 0xffL);
            }
            v3 ^= m;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        for (int j = len - 1; j >= end; j--) {
            b |= (data[j] & 0xffL) << (8 * (j - end));
        }
        return finish(v0, v1, v2, v3, b);
    }

    /** Absorbs the final block {@code b} and runs the four finalization rounds. */
    private static long finish(long v0, long v1, long v2, long v3, long b) {
        v3 ^= b;
        for (int r = 0; r < 2; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= b;
        v2 ^= 0xff;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
