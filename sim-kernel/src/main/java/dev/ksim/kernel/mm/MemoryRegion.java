package dev.ksim.kernel.mm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * One mapped, page-aligned range {@code [start, end)} of an address space, with a name (as
 * {@code /proc/iomem} or {@code /proc/<pid>/maps} would show it) and protection bits.
 *
 * <p>Pages are backed lazily: a page that was never written reads as zeros and costs nothing, and the
 * first store allocates its 4 KiB. The backing is a two-level table (512 pages, 2 MiB, per chunk), so a
 * region may span gigabytes while only touched pages take memory.
 *
 * <p>Thread safety: chunk and page slots are published once with a CAS and never replaced, so a reader
 * sees either no page (zeros) or the one page every writer uses. Page <em>contents</em> are read and
 * written with plain accesses, like RAM: racing stores to the same bytes may tear, which is what real
 * hardware allows for unsynchronised C code. {@link #prot} is volatile; {@link #protect} may change it
 * while other threads access the region.
 */
public final class MemoryRegion {
    /** {@code PAGE_SHIFT}. */
    public static final int PAGE_SHIFT = 12;
    /** {@code PAGE_SIZE}: 4 KiB. */
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    /** Mask of the offset within a page. */
    static final int PAGE_MASK = PAGE_SIZE - 1;

    private static final int CHUNK_SHIFT = 9;
    private static final int CHUNK_PAGES = 1 << CHUNK_SHIFT;
    /** Read by pages never written; never written itself, so one instance serves every address space. */
    private static final byte[] ZERO_PAGE = new byte[PAGE_SIZE];

    private static final VarHandle CHUNK_SLOT = MethodHandles.arrayElementVarHandle(byte[][][].class);
    private static final VarHandle PAGE_SLOT = MethodHandles.arrayElementVarHandle(byte[][].class);
    static final VarHandle LE_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final long start;
    private final long size;
    /** Current protection bits; volatile so {@link #protect} takes effect for every CPU thread. */
    private volatile int prot;
    /** Chunk directory; slots go from null to a chunk exactly once (CAS). */
    private final byte[][][] chunks;
    /** Pages materialised so far, for statistics. */
    private final LongAdder resident = new LongAdder();

    MemoryRegion(String name, long start, long size, int prot) {
        if ((start & PAGE_MASK) != 0 || (size & PAGE_MASK) != 0 || size <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "region %s must be page aligned and non-empty: start=0x%x size=0x%x", name, start, size));
        }
        long pages = size >>> PAGE_SHIFT;
        long nChunks = (pages + CHUNK_PAGES - 1) >>> CHUNK_SHIFT;
        if (nChunks > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("region " + name + " is too large: 0x" + Long.toHexString(size));
        }
        if (start + size != 0 && Long.compareUnsigned(start + size, start) < 0) {
            throw new IllegalArgumentException("region " + name + " wraps around the address space");
        }
        this.name = name;
        this.start = start;
        this.size = size;
        this.prot = prot;
        this.chunks = new byte[(int) nChunks][][];
    }

    /** @return the region's name, e.g. {@code "direct map"} or {@code "[stack]"} */
    public String name() {
        return name;
    }

    /** @return the first address */
    public long start() {
        return start;
    }

    /** @return the address just past the region (0 for a region that ends at the top of the address space) */
    public long end() {
        return start + size;
    }

    /** @return the size in bytes */
    public long size() {
        return size;
    }

    /** @return the protection bits ({@link Prot}) */
    public int prot() {
        return prot;
    }

    /** @param prot the new protection bits ({@link Prot}) */
    void protect(int prot) {
        this.prot = prot;
    }

    /** @return bytes of pages that have been written at least once */
    public long residentBytes() {
        return resident.sum() << PAGE_SHIFT;
    }

    /**
     * @param addr an address
     * @return true if the region covers it
     */
    public boolean contains(long addr) {
        return Long.compareUnsigned(addr - start, size) < 0;
    }

    boolean readable() {
        return (prot & Prot.READ) != 0;
    }

    boolean writable() {
        return (prot & Prot.WRITE) != 0;
    }

    /**
     * @param off an offset inside the region
     * @return the page holding it for a load: the shared zero page if it was never written (do not store to it)
     */
    byte[] pageForRead(long off) {
        long pfn = off >>> PAGE_SHIFT;
        byte[][] chunk = (byte[][]) CHUNK_SLOT.getAcquire(chunks, (int) (pfn >>> CHUNK_SHIFT));
        if (chunk == null) {
            return ZERO_PAGE;
        }
        byte[] page = (byte[]) PAGE_SLOT.getAcquire(chunk, (int) (pfn & (CHUNK_PAGES - 1)));
        return page != null ? page : ZERO_PAGE;
    }

    /**
     * @param off an offset inside the region
     * @return the page holding it for a store, allocated on first use
     */
    byte[] pageForWrite(long off) {
        long pfn = off >>> PAGE_SHIFT;
        int ci = (int) (pfn >>> CHUNK_SHIFT);
        byte[][] chunk = (byte[][]) CHUNK_SLOT.getAcquire(chunks, ci);
        if (chunk == null) {
            byte[][] fresh = new byte[CHUNK_PAGES][];
            byte[][] witness = (byte[][]) CHUNK_SLOT.compareAndExchangeRelease(chunks, ci, null, fresh);
            chunk = witness == null ? fresh : witness;
        }
        int pi = (int) (pfn & (CHUNK_PAGES - 1));
        byte[] page = (byte[]) PAGE_SLOT.getAcquire(chunk, pi);
        if (page == null) {
            byte[] fresh = new byte[PAGE_SIZE];
            byte[] witness = (byte[]) PAGE_SLOT.compareAndExchangeRelease(chunk, pi, null, fresh);
            if (witness == null) {
                resident.increment();
                page = fresh;
            } else {
                page = witness;
            }
        }
        return page;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%016x-%016x %s %s", start, end(), Prot.toString(prot), name);
    }
}
