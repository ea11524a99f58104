package dev.ksim.kernel.printk;

/**
 * Decoded formats by identity: a bounded direct-mapped cache, so a format printed again (a string
 * constant, as C's formats are) is not decoded again. A slot holds one {@link ParsedFormat} and is
 * found by the format's hash; it answers only for the very string it was decoded from, so a format that
 * shares a slot with another, or an equal string that is not the same object, is decoded afresh
 * (and then replaces the slot's entry). Formats longer than {@link #MAX_CACHED_LENGTH} are decoded
 * every time, so the cache's memory stays bounded.
 *
 * <p>Thread-safe without locking: entries are immutable and slots are replaced whole, so threads
 * racing on a slot at worst decode a format twice.
 */
final class FormatCache {
    /** Number of slots (a power of two). */
    static final int SLOTS = 256;
    /** Longest format kept. */
    static final int MAX_CACHED_LENGTH = 512;

    private final ParsedFormat[] slots = new ParsedFormat[SLOTS];

    /**
     * @param fmt a format
     * @return it decoded: the cached decoding if this very string was decoded last in its slot
     */
    ParsedFormat get(String fmt) {
        int slot = slot(fmt);
        ParsedFormat p = slots[slot];
        if (p != null && p.format == fmt) {
            return p;
        }
        p = ParsedFormat.parse(fmt);
        if (fmt.length() <= MAX_CACHED_LENGTH) {
            slots[slot] = p;
        }
        return p;
    }

    /** @param fmt a format @return its slot */
    static int slot(String fmt) {
        return fmt.hashCode() & (SLOTS - 1);
    }
}
