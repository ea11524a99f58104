package dev.ksim.kernel.mm;

import static dev.ksim.kernel.mm.MemoryRegion.PAGE_SIZE;

/**
 * Hands out naturally aligned blocks of {@code 2^order} pages from the direct map, like the buddy
 * allocator's {@code __get_free_pages()}, but simpler: it carves fresh memory with a bump pointer for as
 * long as there is some, and only then recycles freed blocks, oldest first. Freed memory is therefore
 * not handed out again soon, so a use-after-free keeps reading poison. There is no splitting or merging:
 * a freed block is reused only for the same order.
 *
 * <p>All state is guarded by {@code this}.
 */
final class PageAllocator {
    /** Largest order: 4 MiB blocks, as {@code MAX_ORDER - 1} in 6.1. */
    static final int MAX_ORDER = 10;

    private final long base;
    private final long size;
    /** Offset of the first never-used byte; guarded by this. */
    private long nextOff;
    /** Freed blocks per order, oldest first; guarded by this. */
    private final LongRing[] free = new LongRing[MAX_ORDER + 1];
    /** Pages handed out and not yet freed; guarded by this. */
    private long usedPages;

    PageAllocator(long base, long size) {
        if ((base & ((PAGE_SIZE << MAX_ORDER) - 1)) != 0) {
            throw new IllegalArgumentException("direct map base must be 4 MiB aligned: 0x" + Long.toHexString(base));
        }
        this.base = base;
        this.size = size;
        for (int i = 0; i <= MAX_ORDER; i++) {
            free[i] = new LongRing();
        }
    }

    /**
     * @param order log2 of the number of pages
     * @return the block's address, or 0 when memory is exhausted
     */
    synchronized long alloc(int order) {
        if (order < 0 || order > MAX_ORDER) {
            return 0;
        }
        long bytes = (long) PAGE_SIZE << order;
        long off = (nextOff + bytes - 1) & -bytes;
        if (off + bytes <= size) {
            for (long hole = nextOff; hole < off; hole += PAGE_SIZE) {
                free[0].addLast(base + hole);
            }
            nextOff = off + bytes;
            usedPages += 1L << order;
            return base + off;
        }
        if (!free[order].isEmpty()) {
            usedPages += 1L << order;
            return free[order].pollFirst();
        }
        return 0;
    }

    /**
     * Returns a block; the caller has checked it was allocated with this order and not yet freed.
     *
     * @param addr the block's address
     * @param order its order
     */
    synchronized void free(long addr, int order) {
        free[order].addLast(addr);
        usedPages -= 1L << order;
    }

    /** @return pages currently allocated */
    synchronized long usedPages() {
        return usedPages;
    }
}
