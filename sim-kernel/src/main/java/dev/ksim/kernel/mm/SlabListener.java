package dev.ksim.kernel.mm;

/**
 * Receives the slab allocator's error reports. It is called on the thread that made the bad call,
 * after the allocator has released its locks, so it may print, taint the kernel, or oops.
 */
@FunctionalInterface
public interface SlabListener {
    /** A listener that ignores every report. */
    SlabListener IGNORE = e -> { };

    /** @param error what was detected */
    void onError(SlabError error);
}
