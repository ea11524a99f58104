package dev.ksim.kernel.mm;

import static dev.ksim.kernel.mm.MemoryRegion.PAGE_MASK;
import static dev.ksim.kernel.mm.MemoryRegion.PAGE_SIZE;

import dev.ksim.sdk.Errno;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The kernel half of one simulated kernel's virtual address space: a sparse, page-granular (4 KiB),
 * little-endian byte store made of named {@link MemoryRegion}s (the direct map, kernel text, module
 * areas, …). Each simulated kernel owns one; nothing here is static.
 *
 * <p><b>Faulting accesses.</b> {@link #read}, {@link #write} and the typed and bulk variants behave like
 * a C dereference in kernel mode: they throw {@link PageFault} for an address in the first page (NULL),
 * a user-space address (SMAP/PAN), a non-canonical address, an unmapped address, or a store to a page
 * without {@link Prot#WRITE}. An access that straddles a page boundary faults at the first byte that
 * cannot be accessed; bytes before it may already have been stored (as on hardware).
 *
 * <p><b>Non-faulting accesses.</b> {@link #copyFromKernelNofault}, {@link #copyToKernelNofault} and
 * {@link #strncpyFromKernelNofault} mirror {@code mm/maccess.c}: they never throw for a bad address and
 * return {@code -EFAULT} (or {@code -ERANGE}, see {@link VirtualAddressLayout#nofaultRangeCheck()}).
 *
 * <p><b>Concurrency.</b> Any number of CPU threads may read and write concurrently, and regions may be
 * mapped and unmapped meanwhile: the region table is copy-on-write ({@link RegionTable}) and pages are
 * published with CAS ({@link MemoryRegion}). Racing accesses to the same bytes are not ordered and may
 * tear, exactly like unsynchronised C; the table itself is never corrupted.
 *
 * <p><b>Speed.</b> An aligned load within one page is a binary search over the (few) regions, one array
 * index and a {@link java.lang.invoke.VarHandle} load: no allocation, no boxing, no hashing.
 */
public final class KernelMemory {
    private final VirtualAddressLayout layout;
    private final RegionTable table = new RegionTable();

    /**
     * Creates an empty kernel address space.
     *
     * @param layout the architecture's split of the address space
     */
    public KernelMemory(VirtualAddressLayout layout) {
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    /** @return the architecture's split of the address space */
    public VirtualAddressLayout layout() {
        return layout;
    }

    // ---------------------------------------------------------------- mapping

    /**
     * Maps a region; its pages read as zeros until written.
     *
     * @param name a name for diagnostics, e.g. {@code "direct map"}
     * @param start the first address, page aligned, in the kernel half
     * @param size the size in bytes, a multiple of {@link MemoryRegion#PAGE_SIZE}
     * @param prot protection bits ({@link Prot})
     * @return the region
     * @throws IllegalArgumentException if the range is unaligned, outside the kernel half, or overlaps a
     *     mapped region
     */
    public MemoryRegion map(String name, long start, long size, int prot) {
        MemoryRegion r = new MemoryRegion(name, start, size, prot);
        long last = start + size - 1;
        if (!layout.isKernel(start) || !layout.isKernel(last)) {
            throw new IllegalArgumentException(String.format("region %s [0x%x, 0x%x] is not in the kernel half",
                    name, start, last));
        }
        table.add(r);
        return r;
    }

    /**
     * Unmaps the region that starts at an address; later accesses to it fault.
     *
     * @param start the region's first address
     * @return true if a region was unmapped
     */
    public boolean unmap(long start) {
        return table.remove(start) != null;
    }

    /**
     * Changes the protection of a mapped region, as {@code set_memory_ro()} / {@code set_memory_rw()} do.
     *
     * @param start the region's first address
     * @param prot the new protection bits
     * @throws IllegalArgumentException if no region starts there
     */
    public void protect(long start, int prot) {
        MemoryRegion r = table.find(start);
        if (r == null || r.start() != start) {
            throw new IllegalArgumentException("no region starts at 0x" + Long.toHexString(start));
        }
        r.protect(prot);
    }

    /**
     * @param addr an address
     * @return the region mapping it, or null
     */
    public MemoryRegion regionAt(long addr) {
        return table.find(addr);
    }

    /** @return all regions in address order */
    public List<MemoryRegion> regions() {
        return table.all();
    }

    /**
     * @param addr an address
     * @param len a length
     * @param write whether a store is intended
     * @return true if a kernel access of {@code len} bytes at {@code addr} would not fault
     */
    public boolean accessOk(long addr, long len, boolean write) {
        long a = addr;
        long left = len;
        while (left > 0) {
            if (!layout.isKernel(a)) {
                return false;
            }
            MemoryRegion r = table.find(a);
            if (r == null || !(write ? r.writable() : r.readable())) {
                return false;
            }
            long inRegion = r.end() - a; // unsigned; a region ending at the top has end() == 0
            if (Long.compareUnsigned(inRegion, left) >= 0) {
                return true;
            }
            left -= inRegion;
            a += inRegion;
        }
        return true;
    }

    // ---------------------------------------------------------------- faulting loads

    /**
     * Loads one byte.
     *
     * @param addr the address
     * @return the byte, zero-extended (0..255)
     * @throws PageFault if the address cannot be read
     */
    public int read8(long addr) {
        MemoryRegion r = table.find(addr);
        if (r != null && r.readable()) {
            long off = addr - r.start();
            return r.pageForRead(off)[(int) off & PAGE_MASK] & 0xff;
        }
        throw fault(addr, false);
    }

    /**
     * Loads a little-endian 16-bit value.
     *
     * @param addr the address (any alignment)
     * @return the value, zero-extended (0..65535)
     * @throws PageFault if any byte cannot be read
     */
    public int read16(long addr) {
        MemoryRegion r = table.find(addr);
        if (r != null && r.readable()) {
            long off = addr - r.start();
            int po = (int) off & PAGE_MASK;
            if (po <= PAGE_SIZE - 2) {
                return (short) MemoryRegion.LE_SHORT.get(r.pageForRead(off), po) & 0xffff;
            }
        }
        return (int) readSlow(addr, 2);
    }

    /**
     * Loads a little-endian 32-bit value.
     *
     * @param addr the address (any alignment)
     * @return the raw 32 bits
     * @throws PageFault if any byte cannot be read
     */
    public int read32(long addr) {
        MemoryRegion r = table.find(addr);
        if (r != null && r.readable()) {
            long off = addr - r.start();
            int po = (int) off & PAGE_MASK;
            if (po <= PAGE_SIZE - 4) {
                return (int) MemoryRegion.LE_INT.get(r.pageForRead(off), po);
            }
        }
        return (int) readSlow(addr, 4);
    }

    /**
     * Loads a little-endian 64-bit value.
     *
     * @param addr the address (any alignment)
     * @return the value
     * @throws PageFault if any byte cannot be read
     */
    public long read64(long addr) {
        MemoryRegion r = table.find(addr);
        if (r != null && r.readable()) {
            long off = addr - r.start();
            int po = (int) off & PAGE_MASK;
            if (po <= PAGE_SIZE - 8) {
                return (long) MemoryRegion.LE_LONG.get(r.pageForRead(off), po);
            }
        }
        return readSlow(addr, 8);
    }

    /**
     * Loads 1, 2, 4 or 8 bytes: the implementation of {@code KernelServices.read}.
     *
     * @param addr the address
     * @param size 1, 2, 4 or 8
     * @return the value, little-endian and zero-extended
     * @throws PageFault if any byte cannot be read
     * @throws IllegalArgumentException for another size
     */
    public long read(long addr, int size) {
        switch (size) {
            case 1:
                return read8(addr);
            case 2:
                return read16(addr);
            case 4:
                return read32(addr) & 0xffff_ffffL;
            case 8:
                return read64(addr);
            default:
                throw new IllegalArgumentException("access size must be 1, 2, 4 or 8: " + size);
        }
    }

    /** Byte-at-a-time load for accesses that cross a page, or that fault. */
    private long readSlow(long addr, int size) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v |= (long) read8(addr + i) << (8 * i);
        }
        return v;
    }

    /**
     * Loads bytes into an array.
     *
     * @param addr the first address
     * @param dst the destination
     * @param off where in {@code dst} to start
     * @param len how many bytes
     * @throws PageFault at the first byte that cannot be read; earlier bytes have been copied
     */
    public void readBytes(long addr, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        int done = PageAccess.copyOut(table, addr, dst, off, len);
        if (done < len) {
            throw fault(addr + done, false);
        }
    }

    /**
     * Loads bytes into a new array.
     *
     * @param addr the first address
     * @param len how many bytes
     * @return the bytes
     * @throws PageFault at the first byte that cannot be read
     */
    public byte[] readBytes(long addr, int len) {
        byte[] b = new byte[len];
        readBytes(addr, b, 0, len);
        return b;
    }

    /**
     * Reads a NUL-terminated string as a C dereference would, decoding UTF-8.
     *
     * @param addr the first byte
     * @param max the most bytes to read before giving up (the string is then truncated)
     * @return the string without its NUL
     * @throws PageFault if a byte before the NUL (or {@code max}) cannot be read
     */
    public String readCString(long addr, int max) {
        byte[] buf = new byte[Math.min(max, 256)];
        int len = 0;
        while (len < max) {
            if (len == buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.min(max, buf.length * 2));
            }
            byte b = (byte) read8(addr + len);
            if (b == 0) {
                break;
            }
            buf[len++] = b;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- faulting stores

    /**
     * Stores one byte.
     *
     * @param addr the address
     * @param value the byte (low 8 bits)
     * @throws PageFault if the address cannot be written
     */
    public void write8(long addr, int value) {
        MemoryRegion r = table.find(addr);
        if (r != null && r.writable()) {
            long off = addr - r.start();
            r.pageForWrite(off)[(int) off & PAGE_MASK] = (byte) value;
            return;
        }
        throw fault(addr, true);
    }

    /**
     * Stores a little-endian 16-bit value.
     *
     * @param addr the address (any alignment)
     * @param value the value (low 16 bits)
     * @throws PageFault if any byte cannot be written
     */
    public void write16(long addr, int value) {
        MemoryRegion r = table.find(addr);
        if (r != null && r.writable()) {
            long off = addr - r.start();
            int po = (int) off & PAGE_MASK;
            if (po <= PAGE_SIZE - 2) {
                MemoryRegion.LE_SHORT.set(r.pageForWrite(off), po, (short) value);
                return;
            }
        }
        writeSlow(addr, 2, value);
    }

    /**
     * Stores a little-endian 32-bit value.
     *
     * @param addr the address (any alignment)
     * @param value the value
     * @throws PageFault if any byte cannot be written
     */
    public void write32(long addr, int value) {
        MemoryRegion r = table.find(addr);
        if (r != null && r.writable()) {
            long off = addr - r.start();
            int po = (int) off & PAGE_MASK;
            if (po <= PAGE_SIZE - 4) {
                MemoryRegion.LE_INT.set(r.pageForWrite(off), po, value);
                return;
            }
        }
        writeSlow(addr, 4, value);
    }

    /**
     * Stores a little-endian 64-bit value.
     *
     * @param addr the address (any alignment)
     * @param value the value
     * @throws PageFault if any byte cannot be written
     */
    public void write64(long addr, long value) {
        MemoryRegion r = table.find(addr);
        if (r != null && r.writable()) {
            long off = addr - r.start();
            int po = (int) off & PAGE_MASK;
            if (po <= PAGE_SIZE - 8) {
                MemoryRegion.LE_LONG.set(r.pageForWrite(off), po, value);
                return;
            }
        }
        writeSlow(addr, 8, value);
    }

    /**
     * Stores 1, 2, 4 or 8 bytes: the implementation of {@code KernelServices.write}.
     *
     * @param addr the address
     * @param size 1, 2, 4 or 8
     * @param value the value, truncated to {@code size} bytes and stored little-endian
     * @throws PageFault if any byte cannot be written
     * @throws IllegalArgumentException for another size
     */
    public void write(long addr, int size, long value) {
        switch (size) {
            case 1:
                write8(addr, (int) value);
                break;
            case 2:
                write16(addr, (int) value);
                break;
            case 4:
                write32(addr, (int) value);
                break;
            case 8:
                write64(addr, value);
                break;
            default:
                throw new IllegalArgumentException("access size must be 1, 2, 4 or 8: " + size);
        }
    }

    /** Byte-at-a-time store for accesses that cross a page, or that fault. */
    private void writeSlow(long addr, int size, long value) {
        for (int i = 0; i < size; i++) {
            write8(addr + i, (int) (value >>> (8 * i)));
        }
    }

    /**
     * Stores bytes from an array.
     *
     * @param addr the first address
     * @param src the source
     * @param off where in {@code src} to start
     * @param len how many bytes
     * @throws PageFault at the first byte that cannot be written; earlier bytes have been stored
     */
    public void writeBytes(long addr, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        int done = PageAccess.copyIn(table, addr, src, off, len);
        if (done < len) {
            throw fault(addr + done, true);
        }
    }

    /**
     * Stores a whole array.
     *
     * @param addr the first address
     * @param src the bytes
     * @throws PageFault at the first byte that cannot be written
     */
    public void writeBytes(long addr, byte[] src) {
        writeBytes(addr, src, 0, src.length);
    }

    /**
     * {@code memset}: fills memory with one byte value.
     *
     * @param addr the first address
     * @param len how many bytes
     * @param value the byte (low 8 bits)
     * @throws PageFault at the first byte that cannot be written
     */
    public void fill(long addr, long len, int value) {
        long done = PageAccess.fill(table, addr, len, (byte) value);
        if (done < len) {
            throw fault(addr + done, true);
        }
    }

    // ---------------------------------------------------------------- mm/maccess.c

    /**
     * {@code copy_from_kernel_nofault()}: copies kernel memory without faulting.
     *
     * @param dst the destination
     * @param src the kernel address
     * @param size how many bytes
     * @return 0; {@code -EFAULT} if a byte cannot be read (a prefix of {@code dst} may have been
     *     written); {@code -ERANGE} if the layout range-checks and {@code src} is not a kernel address
     *     (x86_64); {@code -EINVAL} if {@code size} is negative or larger than {@code dst}
     */
    public int copyFromKernelNofault(byte[] dst, long src, int size) {
        if (size < 0 || size > dst.length) {
            return -Errno.EINVAL;
        }
        if (!nofaultAllowed(src)) {
            return -Errno.ERANGE;
        }
        return PageAccess.copyOut(table, src, dst, 0, size) == size ? 0 : -Errno.EFAULT;
    }

    /**
     * {@code copy_to_kernel_nofault()}: stores to kernel memory without faulting.
     *
     * @param dst the kernel address
     * @param src the bytes
     * @param size how many bytes
     * @return 0, or {@code -EFAULT} if a byte cannot be written (a prefix may have been stored), or
     *     {@code -EINVAL} if {@code size} is negative or larger than {@code src}
     */
    public int copyToKernelNofault(long dst, byte[] src, int size) {
        if (size < 0 || size > src.length) {
            return -Errno.EINVAL;
        }
        if (!layout.isKernel(dst)) {
            return -Errno.EFAULT;
        }
        return PageAccess.copyIn(table, dst, src, 0, size) == size ? 0 : -Errno.EFAULT;
    }

    /**
     * {@code strncpy_from_kernel_nofault()}: copies a NUL-terminated string without faulting.
     *
     * <p>As in {@code mm/maccess.c}: on success returns the length <em>including</em> the trailing NUL;
     * if the string does not fit, copies {@code count - 1} bytes, stores a NUL in the last byte and
     * returns {@code count}; on a fault returns {@code -EFAULT} after overwriting the last byte copied
     * (if any) with a NUL.
     *
     * @param dst the destination
     * @param src the kernel address
     * @param count the most bytes to store, including the NUL
     * @return as above; 0 if {@code count <= 0}; {@code -ERANGE} if the layout range-checks and
     *     {@code src} is not a kernel address; {@code -EINVAL} if {@code count > dst.length}
     */
    public long strncpyFromKernelNofault(byte[] dst, long src, int count) {
        if (count <= 0) {
            return 0;
        }
        if (count > dst.length) {
            return -Errno.EINVAL;
        }
        if (!nofaultAllowed(src)) {
            return -Errno.ERANGE;
        }
        boolean[] faulted = new boolean[1];
        int n = PageAccess.copyString(table, src, dst, count, faulted);
        if (faulted[0]) {
            if (n > 0) {
                dst[n - 1] = 0;
            }
            return -Errno.EFAULT;
        }
        dst[n - 1] = 0;
        return n;
    }

    /** {@code copy_from_kernel_nofault_allowed()} for this architecture. */
    private boolean nofaultAllowed(long src) {
        return !layout.nofaultRangeCheck() || layout.isKernel(src);
    }

    // ---------------------------------------------------------------- faults

    /**
     * Classifies a kernel access to an address that the fast path refused.
     *
     * @param addr the first inaccessible address
     * @param write whether it was a store
     * @return the fault to throw
     */
    PageFault fault(long addr, boolean write) {
        PageFault.Reason reason;
        if (Long.compareUnsigned(addr, PAGE_SIZE) < 0) {
            reason = PageFault.Reason.NULL_POINTER;
        } else if (layout.isUser(addr)) {
            reason = PageFault.Reason.USER_ADDRESS;
        } else if (!layout.isKernel(addr)) {
            reason = PageFault.Reason.NON_CANONICAL;
        } else {
            MemoryRegion r = table.find(addr);
            reason = r == null ? PageFault.Reason.NOT_PRESENT : PageFault.Reason.PROTECTION;
        }
        return new PageFault(addr, write, reason);
    }
}
