package dev.ksim.kernel.mm;

import dev.ksim.sdk.Errno;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The user half of one process's address space (one per {@code mm_struct}): its stack, and later its
 * heap and mappings. The kernel never dereferences these addresses directly (SMAP/PAN:
 * {@link KernelMemory} faults on them); it goes through {@link #copyFromUser}, {@link #copyToUser} and
 * {@link #strncpyFromUser}, which have the kernel's {@code uaccess} semantics and never throw for a bad
 * user address.
 *
 * <p>The faulting accessors ({@link #read}, {@link #writeBytes}, …) are the process's own loads and
 * stores, used by the simulator to lay out a new process image.
 *
 * <p>Concurrency: as {@link KernelMemory} — lock-free lookups over a copy-on-write region table, racy
 * page contents.
 */
public final class UserMemory {
    private final VirtualAddressLayout layout;
    private final String owner;
    private final RegionTable table = new RegionTable();

    /**
     * Creates an empty user address space.
     *
     * @param layout the architecture's split of the address space
     * @param owner a name for diagnostics, e.g. the program's path
     */
    public UserMemory(VirtualAddressLayout layout, String owner) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.owner = Objects.requireNonNull(owner, "owner");
    }

    /** @return the architecture's split of the address space */
    public VirtualAddressLayout layout() {
        return layout;
    }

    /** @return the name given at creation */
    public String owner() {
        return owner;
    }

    /**
     * Maps a region, as {@code mmap(MAP_FIXED)} would.
     *
     * @param name the name {@code /proc/<pid>/maps} shows, e.g. {@code "[stack]"}
     * @param start the first address, page aligned, at least {@code PAGE_SIZE}
     * @param size the size, page aligned
     * @param prot protection bits ({@link Prot})
     * @return the region
     * @throws IllegalArgumentException if the range is unaligned, not below {@code TASK_SIZE_MAX}, or
     *     overlaps a mapped region
     */
    public MemoryRegion map(String name, long start, long size, int prot) {
        MemoryRegion r = new MemoryRegion(name, start, size, prot);
        if (Long.compareUnsigned(start, MemoryRegion.PAGE_SIZE) < 0
                || Long.compareUnsigned(start + size, layout.taskSizeMax()) > 0
                || Long.compareUnsigned(start + size, start) < 0) {
            throw new IllegalArgumentException(String.format("user region %s [0x%x, +0x%x) is outside user space",
                    name, start, size));
        }
        table.add(r);
        return r;
    }

    /**
     * @param start the region's first address
     * @return true if a region was unmapped
     */
    public boolean unmap(long start) {
        return table.remove(start) != null;
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
     * {@code access_ok()}: whether a range lies entirely in user space (it may still be unmapped).
     *
     * @param addr the first address
     * @param size the length
     * @return true if {@code [addr, addr + size)} is below {@code TASK_SIZE_MAX}
     */
    public boolean accessOk(long addr, long size) {
        long end = addr + size;
        return Long.compareUnsigned(end, addr) >= 0 && Long.compareUnsigned(end, layout.taskSizeMax()) <= 0;
    }

    // ---------------------------------------------------------------- uaccess

    /**
     * {@code copy_from_user()}.
     *
     * @param dst the kernel buffer
     * @param src the user address
     * @param n how many bytes
     * @return how many bytes could <em>not</em> be copied (0 on success); the uncopied tail of
     *     {@code dst[0..n)} is zero-filled, as the kernel does
     * @throws IndexOutOfBoundsException if {@code n} exceeds {@code dst} (a kernel bug, not a user error)
     */
    public int copyFromUser(byte[] dst, long src, int n) {
        Objects.checkFromIndexSize(0, n, dst.length);
        int done = accessOk(src, n) ? PageAccess.copyOut(table, src, dst, 0, n) : 0;
        Arrays.fill(dst, done, n, (byte) 0);
        return n - done;
    }

    /**
     * {@code copy_to_user()}.
     *
     * @param dst the user address
     * @param src the kernel buffer
     * @param n how many bytes
     * @return how many bytes could <em>not</em> be copied (0 on success)
     * @throws IndexOutOfBoundsException if {@code n} exceeds {@code src}
     */
    public int copyToUser(long dst, byte[] src, int n) {
        Objects.checkFromIndexSize(0, n, src.length);
        int done = accessOk(dst, n) ? PageAccess.copyIn(table, dst, src, 0, n) : 0;
        return n - done;
    }

    /**
     * {@code strncpy_from_user()}: note its semantics differ from {@code strncpy_from_kernel_nofault()}.
     *
     * @param dst the kernel buffer
     * @param src the user address
     * @param count the most bytes to copy
     * @return the string's length <em>without</em> the NUL (the NUL is copied too); {@code count} if no
     *     NUL was found within {@code count} bytes (then {@code dst} is <em>not</em> NUL-terminated);
     *     {@code -EFAULT} if a byte could not be read; 0 if {@code count <= 0}
     * @throws IndexOutOfBoundsException if {@code count} exceeds {@code dst}
     */
    public long strncpyFromUser(byte[] dst, long src, int count) {
        if (count <= 0) {
            return 0;
        }
        Objects.checkFromIndexSize(0, count, dst.length);
        if (!accessOk(src, 1)) {
            return -Errno.EFAULT;
        }
        boolean[] faulted = new boolean[1];
        int n = PageAccess.copyString(table, src, dst, count, faulted);
        if (faulted[0]) {
            return -Errno.EFAULT;
        }
        return dst[n - 1] == 0 ? n - 1 : n;
    }

    // ---------------------------------------------------------------- the process's own accesses

    /**
     * A user-mode load.
     *
     * @param addr the address
     * @param size 1, 2, 4 or 8
     * @return the value, little-endian, zero-extended
     * @throws PageFault if a byte cannot be read
     */
    public long read(long addr, int size) {
        checkSize(size);
        byte[] b = readBytes(addr, size);
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    /**
     * A user-mode store.
     *
     * @param addr the address
     * @param size 1, 2, 4 or 8
     * @param value the value, little-endian
     * @throws PageFault if a byte cannot be written
     */
    public void write(long addr, int size, long value) {
        checkSize(size);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        writeBytes(addr, b);
    }

    /**
     * User-mode loads of a byte range.
     *
     * @param addr the first address
     * @param len how many bytes
     * @return the bytes
     * @throws PageFault at the first byte that cannot be read
     */
    public byte[] readBytes(long addr, int len) {
        byte[] b = new byte[len];
        int done = PageAccess.copyOut(table, addr, b, 0, len);
        if (done < len) {
            throw fault(addr + done, false);
        }
        return b;
    }

    /**
     * User-mode stores of a byte range.
     *
     * @param addr the first address
     * @param src the bytes
     * @throws PageFault at the first byte that cannot be written
     */
    public void writeBytes(long addr, byte[] src) {
        int done = PageAccess.copyIn(table, addr, src, 0, src.length);
        if (done < src.length) {
            throw fault(addr + done, true);
        }
    }

    private static void checkSize(int size) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("access size must be 1, 2, 4 or 8: " + size);
        }
    }

    private PageFault fault(long addr, boolean write) {
        PageFault.Reason reason;
        if (Long.compareUnsigned(addr, MemoryRegion.PAGE_SIZE) < 0) {
            reason = PageFault.Reason.NULL_POINTER;
        } else if (!layout.isCanonical(addr)) {
            reason = PageFault.Reason.NON_CANONICAL;
        } else {
            MemoryRegion r = table.find(addr);
            reason = r == null ? PageFault.Reason.NOT_PRESENT : PageFault.Reason.PROTECTION;
        }
        return new PageFault(addr, write, reason);
    }
}
