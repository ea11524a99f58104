package dev.ksim.kernel.mm;

import static dev.ksim.kernel.mm.MemoryRegion.PAGE_SIZE;

/**
 * A slab cache ({@code struct kmem_cache}): fixed-size objects carved from slabs of
 * {@code 2^order} pages. Created by {@link Slab#createCache} (a named cache such as
 * {@code task_struct}) or by the {@link Slab} itself (the {@code kmalloc-*} caches).
 *
 * <p>Debugging behaviour, always on (as with {@code slub_debug=FP} plus a KASAN-style quarantine):
 * <ul>
 *   <li>free objects are poisoned: {@code objSize - 1} bytes of {@link Slab#POISON_FREE} ({@code 0x6b})
 *       and a final {@link Slab#POISON_END} ({@code 0xa5}); a fresh object from
 *       {@link #alloc()} still holds that poison until written, {@link #zalloc()} zeroes it;</li>
 *   <li>a freed object waits in a FIFO quarantine before it can be handed out again, so a stale
 *       pointer reads poison rather than a new owner's data;</li>
 *   <li>freeing a free object, or a pointer that is not the start of an object, is reported to the
 *       {@link SlabListener} and otherwise ignored.</li>
 * </ul>
 *
 * <p>Thread safety: the free list, quarantine, per-slab in-use bits and counters are guarded by
 * {@code this}; allocation and free may be called from any thread.
 */
public final class KmemCache {
    private final Slab slab;
    private final String name;
    private final int objectSize;
    private final int slotSize;
    private final int order;
    private final int objsPerSlab;
    private final int quarantineCap;

    /** Free objects ready for reuse; the last one is handed out first (LIFO, like SLUB). Guarded by this. */
    private final LongRing freelist = new LongRing();
    /** Freed objects not yet reusable, oldest first. Guarded by this. */
    private final LongRing quarantine = new LongRing();
    /** Counters, guarded by this. */
    private long activeObjs;
    private long numObjs;
    private long numSlabs;
    private long allocations;
    private long frees;

    /** One slab: its in-use bitmap is guarded by the owning cache. */
    static final class SlabPage {
        final KmemCache cache;
        final long base;
        final long[] inUse;

        SlabPage(KmemCache cache, long base, int objects) {
            this.cache = cache;
            this.base = base;
            this.inUse = new long[(objects + 63) >>> 6];
        }
    }

    KmemCache(Slab slab, String name, int objectSize, int align) {
        if (objectSize <= 0 || objectSize > (PAGE_SIZE << 3)) {
            throw new IllegalArgumentException("cache " + name + ": object size out of range: " + objectSize);
        }
        if (align <= 0 || Integer.bitCount(align) != 1) {
            throw new IllegalArgumentException("cache " + name + ": alignment must be a power of two: " + align);
        }
        this.slab = slab;
        this.name = name;
        this.objectSize = objectSize;
        this.slotSize = (objectSize + align - 1) & -align;
        int o = 0;
        // SLUB-like sizing: the smallest order that holds 16 objects, at most order 3 (32 KiB).
        while (o < 3 && (PAGE_SIZE << o) / slotSize < 16) {
            o++;
        }
        this.order = o;
        this.objsPerSlab = (PAGE_SIZE << o) / slotSize;
        if (objsPerSlab == 0) {
            throw new IllegalArgumentException("cache " + name + ": object does not fit an order-3 slab");
        }
        this.quarantineCap = Math.max(8, Math.min(1024, (256 << 10) / slotSize));
    }

    /** @return the cache's name as {@code /proc/slabinfo} shows it */
    public String name() {
        return name;
    }

    /** @return the size of one object: what {@code ksize()} returns for it */
    public int objectSize() {
        return slotSize;
    }

    /** @return {@code kmem_cache_alloc()}: an object holding free poison, or 0 when memory is exhausted */
    public long alloc() {
        return alloc(false);
    }

    /** @return {@code kmem_cache_zalloc()}: a zeroed object, or 0 when memory is exhausted */
    public long zalloc() {
        return alloc(true);
    }

    /**
     * {@code kmem_cache_free()}: frees an object of this cache; NULL is ignored. An object of another
     * cache, a double free or a bad pointer is reported to the listener and ignored.
     *
     * @param addr the object
     */
    public void free(long addr) {
        if (addr == 0) {
            return;
        }
        Object owner = slab.ownerOf(addr);
        if (!(owner instanceof SlabPage sp)) {
            slab.report(new SlabError(SlabError.Kind.INVALID_FREE, addr, null,
                    "kmem_cache_free(" + name + "): object is not from a slab"));
            return;
        }
        if (sp.cache != this) {
            slab.report(new SlabError(SlabError.Kind.WRONG_CACHE, addr, sp.cache.name,
                    "cache_from_obj: Wrong slab cache. " + name + " but object is from " + sp.cache.name));
            return;
        }
        SlabError e = freeObject(addr, sp);
        if (e != null) {
            slab.report(e);
        }
    }

    /** @return this cache's counters */
    public synchronized SlabInfo info() {
        return new SlabInfo(name, activeObjs, numObjs, slotSize, objsPerSlab, 1 << order, numSlabs, allocations,
                frees);
    }

    long alloc(boolean zero) {
        KernelMemory mem = slab.memory();
        synchronized (this) {
            if (freelist.isEmpty() && !growLocked()) {
                if (quarantine.isEmpty()) {
                    return 0;
                }
                freelist.addLast(quarantine.pollFirst());
            }
            long addr = freelist.pollLast();
            SlabPage sp = (SlabPage) slab.ownerOf(addr);
            int idx = (int) ((addr - sp.base) / slotSize);
            sp.inUse[idx >>> 6] |= 1L << idx;
            activeObjs++;
            allocations++;
            if (zero) {
                mem.fill(addr, slotSize, 0);
            }
            return addr;
        }
    }

    /** Adds a slab; caller holds this. @return false when the page allocator is exhausted */
    private boolean growLocked() {
        long base = slab.pages().alloc(order);
        if (base == 0) {
            return false;
        }
        SlabPage sp = new SlabPage(this, base, objsPerSlab);
        slab.memory().fill(base, (long) PAGE_SIZE << order, Slab.POISON_FREE);
        for (int i = 0; i < objsPerSlab; i++) {
            slab.memory().write8(base + (long) i * slotSize + slotSize - 1, Slab.POISON_END);
        }
        slab.registerOwner(base, order, sp);
        for (int i = objsPerSlab - 1; i >= 0; i--) {
            freelist.addLast(base + (long) i * slotSize);
        }
        numObjs += objsPerSlab;
        numSlabs++;
        return true;
    }

    /**
     * Frees an object known to lie in one of this cache's slabs.
     *
     * @return the misuse detected, or null on success
     */
    SlabError freeObject(long addr, SlabPage sp) {
        long off = addr - sp.base;
        if (off % slotSize != 0 || off / slotSize >= objsPerSlab) {
            return new SlabError(SlabError.Kind.INVALID_FREE, addr, name,
                    "Invalid object pointer 0x" + Long.toHexString(addr) + " (not the start of a " + name
                    + " object)");
        }
        int idx = (int) (off / slotSize);
        synchronized (this) {
            if ((sp.inUse[idx >>> 6] & (1L << idx)) == 0) {
                return new SlabError(SlabError.Kind.DOUBLE_FREE, addr, name,
                        "Object already free: double free of 0x" + Long.toHexString(addr) + " in " + name);
            }
            sp.inUse[idx >>> 6] &= ~(1L << idx);
            KernelMemory mem = slab.memory();
            mem.fill(addr, slotSize - 1, Slab.POISON_FREE);
            mem.write8(addr + slotSize - 1, Slab.POISON_END);
            quarantine.addLast(addr);
            if (quarantine.size() > quarantineCap) {
                freelist.addLast(quarantine.pollFirst());
            }
            activeObjs--;
            frees++;
            return null;
        }
    }

    @Override
    public String toString() {
        return "kmem_cache " + name + " (" + slotSize + " bytes)";
    }
}
