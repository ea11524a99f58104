package dev.ksim.kernel.mm;

import static dev.ksim.kernel.mm.MemoryRegion.PAGE_SHIFT;
import static dev.ksim.kernel.mm.MemoryRegion.PAGE_SIZE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernel's heap: {@code kmalloc()}/{@code kzalloc()}/{@code kfree()}/{@code ksize()} over the
 * {@code kmalloc-*} size classes, named caches ({@code kmem_cache_create()}), and page allocations
 * ({@code __get_free_pages()}), all carved from a direct-map region of one {@link KernelMemory}.
 *
 * <p>Addresses look like the kernel's: the direct map starts at the base given to the constructor
 * ({@link VirtualAddressLayout#X86_64_DIRECT_MAP} {@code 0xffff888000000000} on x86_64,
 * {@link VirtualAddressLayout#ARM64_DIRECT_MAP} {@code 0xffff000000000000} on arm64).
 *
 * <p>Size classes are SLUB's: 8, 16, 32, 64, 96, 128, 192, 256, 512, 1k, 2k, 4k, 8k; a request above
 * {@link #KMALLOC_MAX_CACHE_SIZE} gets whole pages ({@code kmalloc_large}), up to
 * {@link #KMALLOC_MAX_SIZE}. {@code kmalloc(0)} returns {@link #ZERO_SIZE_PTR}. See {@link KmemCache}
 * for poisoning, quarantine and error detection; freed page allocations are filled with
 * {@link #PAGE_POISON}.
 *
 * <p>Thread safety: every method may be called from any thread. Each cache has its own lock; the page
 * allocator has its own; the owner index is a concurrent map; the cache registry is guarded by
 * {@link #caches}' monitor.
 */
public final class Slab {
    /** {@code POISON_FREE}: fills a freed slab object. */
    public static final int POISON_FREE = 0x6b;
    /** {@code POISON_END}: the last byte of a freed slab object. */
    public static final int POISON_END = 0xa5;
    /** {@code PAGE_POISON}: fills freed pages (as with {@code page_poison=1}). */
    public static final int PAGE_POISON = 0xaa;
    /** {@code ZERO_SIZE_PTR}: what {@code kmalloc(0)} returns; dereferencing it faults. */
    public static final long ZERO_SIZE_PTR = 16;
    /** {@code KMALLOC_MAX_CACHE_SIZE}: the largest size served by a slab cache (SLUB: two pages). */
    public static final int KMALLOC_MAX_CACHE_SIZE = 2 * PAGE_SIZE;
    /** {@code KMALLOC_MAX_SIZE}: the largest {@code kmalloc()} (order-10 pages, 4 MiB). */
    public static final long KMALLOC_MAX_SIZE = (long) PAGE_SIZE << PageAllocator.MAX_ORDER;

    private static final int[] KMALLOC_SIZES = {8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192};

    /** A page allocation, by {@code kmalloc_large()} or {@link #allocPages}; {@code freed} is guarded by this object. */
    static final class PageBlock {
        final long addr;
        final int order;
        final boolean kmalloc;
        boolean freed;

        PageBlock(long addr, int order, boolean kmalloc) {
            this.addr = addr;
            this.order = order;
            this.kmalloc = kmalloc;
        }
    }

    private final KernelMemory memory;
    private final MemoryRegion directMap;
    private final PageAllocator pages;
    private final SlabListener listener;
    private final KmemCache[] kmalloc = new KmemCache[KMALLOC_SIZES.length];
    /** Page index (relative to the direct map) → its SlabPage or PageBlock; entries are replaced when pages are reused. */
    private final ConcurrentHashMap<Long, Object> owners = new ConcurrentHashMap<>();
    /** Every cache by name, in creation order; guarded by its own monitor. */
    private final Map<String, KmemCache> caches = new LinkedHashMap<>();

    /**
     * Maps the direct map and creates the {@code kmalloc-*} caches.
     *
     * @param memory the kernel address space to allocate in
     * @param directMapBase the direct map's first address ({@code PAGE_OFFSET}), 4 MiB aligned
     * @param directMapSize its size: the simulated RAM, a multiple of 4 MiB
     * @param listener receives double-free and bad-free reports; {@link SlabListener#IGNORE} to drop them
     */
    public Slab(KernelMemory memory, long directMapBase, long directMapSize, SlabListener listener) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.pages = new PageAllocator(directMapBase, directMapSize);
        this.directMap = memory.map("direct map", directMapBase, directMapSize, Prot.RW);
        for (int i = 0; i < KMALLOC_SIZES.length; i++) {
            int s = KMALLOC_SIZES[i];
            String name = s >= 1024 ? "kmalloc-" + (s >> 10) + "k" : "kmalloc-" + s;
            kmalloc[i] = createCache(name, s, Math.min(s & -s, 8));
        }
    }

    /** @return the address space this allocator allocates in */
    public KernelMemory memory() {
        return memory;
    }

    /** @return the direct-map region */
    public MemoryRegion directMap() {
        return directMap;
    }

    /**
     * {@code kmem_cache_create()}.
     *
     * @param name the cache's name, unique within this allocator
     * @param size the object size in bytes (at most 32 KiB)
     * @param align the object alignment, a power of two
     * @return the cache
     * @throws IllegalArgumentException for a duplicate name or a bad size or alignment
     */
    public KmemCache createCache(String name, int size, int align) {
        synchronized (caches) {
            if (caches.containsKey(name)) {
                throw new IllegalArgumentException("kmem_cache_create: duplicate cache " + name);
            }
            KmemCache c = new KmemCache(this, name, size, align);
            caches.put(name, c);
            return c;
        }
    }

    /**
     * @param name a cache's name
     * @return the cache, or null
     */
    public KmemCache cache(String name) {
        synchronized (caches) {
            return caches.get(name);
        }
    }

    /**
     * {@code kmalloc_slab()}: the cache that serves a size.
     *
     * @param size a request size, 1 to {@link #KMALLOC_MAX_CACHE_SIZE}
     * @return the cache, or null for a size outside that range
     */
    public KmemCache kmallocCache(long size) {
        if (size <= 0 || size > KMALLOC_MAX_CACHE_SIZE) {
            return null;
        }
        for (int i = 0; i < KMALLOC_SIZES.length; i++) {
            if (size <= KMALLOC_SIZES[i]) {
                return kmalloc[i];
            }
        }
        return null;
    }

    /**
     * {@code kmalloc()}: the object holds free poison until written.
     *
     * @param size the size in bytes
     * @return the address; {@link #ZERO_SIZE_PTR} for size 0; 0 (NULL) for a negative size, a size above
     *     {@link #KMALLOC_MAX_SIZE}, or exhausted memory
     */
    public long kmalloc(long size) {
        return alloc(size, false);
    }

    /**
     * {@code kzalloc()}: like {@link #kmalloc} but zeroed.
     *
     * @param size the size in bytes
     * @return the address, as {@link #kmalloc}
     */
    public long kzalloc(long size) {
        return alloc(size, true);
    }

    private long alloc(long size, boolean zero) {
        if (size == 0) {
            return ZERO_SIZE_PTR;
        }
        if (size < 0 || size > KMALLOC_MAX_SIZE) {
            return 0;
        }
        KmemCache c = kmallocCache(size);
        if (c != null) {
            return c.alloc(zero);
        }
        int order = orderFor(size);
        long addr = pages.alloc(order);
        if (addr == 0) {
            return 0;
        }
        registerOwner(addr, order, new PageBlock(addr, order, true));
        if (zero) {
            memory.fill(addr, (long) PAGE_SIZE << order, 0);
        }
        return addr;
    }

    /**
     * {@code kfree()}: frees a {@code kmalloc()} or {@code kmem_cache_alloc()} object; NULL and
     * {@link #ZERO_SIZE_PTR} are ignored. A double free or a pointer the allocator did not return is
     * reported to the listener and otherwise ignored.
     *
     * @param addr the object
     */
    public void kfree(long addr) {
        if (addr == 0 || addr == ZERO_SIZE_PTR) {
            return;
        }
        Object owner = ownerOf(addr);
        SlabError error;
        if (owner instanceof KmemCache.SlabPage sp) {
            error = sp.cache.freeObject(addr, sp);
        } else if (owner instanceof PageBlock pb && pb.kmalloc) {
            error = freeBlock(addr, pb, "kfree");
        } else {
            error = new SlabError(SlabError.Kind.INVALID_FREE, addr, null,
                    "kfree: 0x" + Long.toHexString(addr) + " was not allocated by kmalloc");
        }
        if (error != null) {
            report(error);
        }
    }

    /**
     * {@code ksize()}: the usable size of an allocation.
     *
     * @param addr an object returned by an allocation function
     * @return the size of its slot or pages; 0 for NULL, {@link #ZERO_SIZE_PTR}, or an address the
     *     allocator does not know
     */
    public long ksize(long addr) {
        if (addr == 0 || addr == ZERO_SIZE_PTR) {
            return 0;
        }
        Object owner = ownerOf(addr);
        if (owner instanceof KmemCache.SlabPage sp) {
            return sp.cache.objectSize();
        }
        if (owner instanceof PageBlock pb && pb.addr == addr) {
            return (long) PAGE_SIZE << pb.order;
        }
        return 0;
    }

    /**
     * {@code __get_free_pages()}: contents are whatever the pages last held.
     *
     * @param order log2 of the number of pages, 0 to 10
     * @return the first page's address, or 0 when memory is exhausted or the order is out of range
     */
    public long allocPages(int order) {
        long addr = pages.alloc(order);
        if (addr != 0) {
            registerOwner(addr, order, new PageBlock(addr, order, false));
        }
        return addr;
    }

    /**
     * {@code free_pages()}: frees a block from {@link #allocPages} and fills it with {@link #PAGE_POISON}.
     * A block that is not live, or has another order, is reported to the listener and ignored.
     *
     * @param addr the block's address
     * @param order the order it was allocated with
     */
    public void freePages(long addr, int order) {
        if (addr == 0) {
            return;
        }
        Object owner = ownerOf(addr);
        SlabError error;
        if (owner instanceof PageBlock pb && !pb.kmalloc && pb.order == order) {
            error = freeBlock(addr, pb, "free_pages");
        } else {
            error = new SlabError(SlabError.Kind.INVALID_FREE, addr, null,
                    "free_pages: 0x" + Long.toHexString(addr) + " is not a live order-" + order + " page block");
        }
        if (error != null) {
            report(error);
        }
    }

    private SlabError freeBlock(long addr, PageBlock pb, String fn) {
        if (pb.addr != addr) {
            return new SlabError(SlabError.Kind.INVALID_FREE, addr, null,
                    fn + ": 0x" + Long.toHexString(addr) + " is inside an allocation, not at its start");
        }
        synchronized (pb) {
            if (pb.freed) {
                return new SlabError(SlabError.Kind.DOUBLE_FREE, addr, null,
                        fn + ": double free of page block 0x" + Long.toHexString(addr));
            }
            pb.freed = true;
        }
        memory.fill(addr, (long) PAGE_SIZE << pb.order, PAGE_POISON);
        pages.free(addr, pb.order);
        return null;
    }

    /** @return every cache's counters, in creation order ({@code kmalloc-*} first) */
    public List<SlabInfo> slabinfo() {
        List<KmemCache> all;
        synchronized (caches) {
            all = new ArrayList<>(caches.values());
        }
        List<SlabInfo> out = new ArrayList<>(all.size());
        for (KmemCache c : all) {
            out.add(c.info());
        }
        return out;
    }

    /** @return pages currently allocated from the direct map (slabs included) */
    public long usedPages() {
        return pages.usedPages();
    }

    // ---------------------------------------------------------------- package internals

    PageAllocator pages() {
        return pages;
    }

    Object ownerOf(long addr) {
        long rel = addr - directMap.start();
        if (Long.compareUnsigned(rel, directMap.size()) >= 0) {
            return null;
        }
        return owners.get(rel >>> PAGE_SHIFT);
    }

    void registerOwner(long base, int order, Object owner) {
        long first = (base - directMap.start()) >>> PAGE_SHIFT;
        for (long i = 0; i < (1L << order); i++) {
            owners.put(first + i, owner);
        }
    }

    void report(SlabError e) {
        listener.onError(e);
    }

    static int orderFor(long size) {
        int order = 0;
        while (((long) PAGE_SIZE << order) < size) {
            order++;
        }
        return order;
    }
}
