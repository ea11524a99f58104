package dev.ksim.kernel.printk;

import java.util.Arrays;

/**
 * The output of one {@link Vsprintf} call: a growable {@code char[]} with C's size limit, counting
 * what an unlimited buffer would have received. Scratch state of one thread, reused call after call;
 * never shared between threads, used by one call at a time ({@link #inUse}).
 */
final class FormatBuffer {
    /** The characters written; {@code buf[0, len)} is the output. */
    char[] buf = new char[256];
    int len;
    /** Most characters that may be written (C's {@code size - 1}). */
    int limit;
    /** Characters produced so far, written or not (vsnprintf's return value). */
    long total;
    /** Set while a call formats into this buffer; a re-entrant call must use another one. */
    boolean inUse;
    /** Digits of one number, least significant first. */
    final char[] digits = new char[24];
    /** Text of one {@code %pS} symbol. */
    final StringBuilder symbol = new StringBuilder(64);
    /** Ids of this thread's recent {@code %p} pointers; created by the first hashed pointer. */
    private PointerHashCache pointerHashes;

    /** Empties the buffer and sets the limit. */
    void reset(int limit) {
        this.len = 0;
        this.limit = limit;
        this.total = 0;
    }

    /** @return this thread's cache of {@code %p} ids */
    PointerHashCache pointerHashes() {
        PointerHashCache c = pointerHashes;
        if (c == null) {
            c = new PointerHashCache();
            pointerHashes = c;
        }
        return c;
    }

    private void ensure(int capacity) {
        if (capacity > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(capacity, Math.min(buf.length * 2, limit)));
        }
    }

    /**
     * Makes room for {@code n} more characters, which the caller writes at {@code buf[len..]}
     * and then advances {@link #len} (and has already counted in {@link #total}).
     *
     * @param n how many characters; {@code len + n <= limit}
     * @return the buffer to write into
     */
    char[] reserve(int n) {
        ensure(len + n);
        return buf;
    }

    void put(char c) {
        total++;
        if (len < limit) {
            if (len == buf.length) {
                ensure(len + 1);
            }
            buf[len++] = c;
        }
    }

    void put(String s, int from, int to) {
        int n = to - from;
        total += n;
        int k = Math.min(n, limit - len);
        if (k > 0) {
            ensure(len + k);
            s.getChars(from, from + k, buf, len);
            len += k;
        }
    }

    void put(CharSequence s, int from, int to) {
        if (s instanceof String) {
            put((String) s, from, to);
            return;
        }
        int n = to - from;
        total += n;
        int k = Math.min(n, limit - len);
        if (k > 0) {
            ensure(len + k);
            for (int i = 0; i < k; i++) {
                buf[len++] = s.charAt(from + i);
            }
        }
    }

    void pad(char c, int count) {
        if (count <= 0) {
            return;
        }
        total += count;
        int k = Math.min(count, limit - len);
        if (k > 0) {
            ensure(len + k);
            Arrays.fill(buf, len, len + k, c);
            len += k;
        }
    }
}
