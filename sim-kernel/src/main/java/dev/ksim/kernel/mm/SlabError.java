package dev.ksim.kernel.mm;

/**
 * A misuse of the slab allocator that the kernel would report with a splat (SLUB debug's
 * {@code "Object already free"}, KASAN's {@code "double-free"}, {@code "Wrong slab cache"}). The
 * allocator ignores the bad call and reports it to its {@link SlabListener}.
 *
 * @param kind what went wrong
 * @param addr the address passed to the free function
 * @param cache the name of the cache the address belongs to, or null if it belongs to none
 * @param message a one-line description in the kernel's words
 */
public record SlabError(Kind kind, long addr, String cache, String message) {

    /** The kinds of misuse detected. */
    public enum Kind {
        /** The object (or large allocation) is already free. */
        DOUBLE_FREE,
        /** The address is not the start of a live allocation of the allocator. */
        INVALID_FREE,
        /** {@code kmem_cache_free()} was given an object of another cache. */
        WRONG_CACHE
    }
}
