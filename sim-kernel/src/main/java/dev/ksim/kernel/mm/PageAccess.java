package dev.ksim.kernel.mm;

import static dev.ksim.kernel.mm.MemoryRegion.PAGE_MASK;
import static dev.ksim.kernel.mm.MemoryRegion.PAGE_SIZE;

/**
 * Page-by-page bulk copies over a {@link RegionTable}, without policy and without throwing: each returns
 * how many bytes it moved before the first byte it could not access, so callers can either raise a
 * {@link PageFault} at {@code addr + done} or return {@code -EFAULT}.
 */
final class PageAccess {
    private PageAccess() {
    }

    /**
     * Copies memory out to a Java array.
     *
     * @return the number of bytes copied: {@code len} on success
     */
    static int copyOut(RegionTable table, long addr, byte[] dst, int off, int len) {
        int done = 0;
        MemoryRegion r = null;
        while (done < len) {
            long a = addr + done;
            if (r == null || !r.contains(a)) {
                r = table.find(a);
                if (r == null || !r.readable()) {
                    return done;
                }
            }
            long roff = a - r.start();
            int po = (int) roff & PAGE_MASK;
            int n = Math.min(len - done, PAGE_SIZE - po);
            System.arraycopy(r.pageForRead(roff), po, dst, off + done, n);
            done += n;
        }
        return done;
    }

    /**
     * Copies a Java array into memory.
     *
     * @return the number of bytes copied: {@code len} on success
     */
    static int copyIn(RegionTable table, long addr, byte[] src, int off, int len) {
        int done = 0;
        MemoryRegion r = null;
        while (done < len) {
            long a = addr + done;
            if (r == null || !r.contains(a)) {
                r = table.find(a);
                if (r == null || !r.writable()) {
                    return done;
                }
            }
            long roff = a - r.start();
            int po = (int) roff & PAGE_MASK;
            int n = Math.min(len - done, PAGE_SIZE - po);
            System.arraycopy(src, off + done, r.pageForWrite(roff), po, n);
            done += n;
        }
        return done;
    }

    /**
     * Fills memory with one byte value.
     *
     * @return the number of bytes filled: {@code len} on success
     */
    static long fill(RegionTable table, long addr, long len, byte value) {
        long done = 0;
        MemoryRegion r = null;
        while (done < len) {
            long a = addr + done;
            if (r == null || !r.contains(a)) {
                r = table.find(a);
                if (r == null || !r.writable()) {
                    return done;
                }
            }
            long roff = a - r.start();
            int po = (int) roff & PAGE_MASK;
            int n = (int) Math.min(len - done, PAGE_SIZE - po);
            java.util.Arrays.fill(r.pageForWrite(roff), po, po + n, value);
            done += n;
        }
        return done;
    }

    /**
     * Copies a NUL-terminated string, {@code strncpy_from_*_nofault}-style: bytes up to and including the
     * NUL, at most {@code count}.
     *
     * @return the number of bytes copied, including the NUL if one was copied; the result is below
     *     {@code count} with {@code dst[result-1] != 0} only when the next byte could not be read, which
     *     {@code faulted[0]} then reports
     */
    static int copyString(RegionTable table, long addr, byte[] dst, int count, boolean[] faulted) {
        int done = 0;
        MemoryRegion r = null;
        faulted[0] = false;
        while (done < count) {
            long a = addr + done;
            if (r == null || !r.contains(a)) {
                r = table.find(a);
                if (r == null || !r.readable()) {
                    faulted[0] = true;
                    return done;
                }
            }
            long roff = a - r.start();
            int po = (int) roff & PAGE_MASK;
            int n = Math.min(count - done, PAGE_SIZE - po);
            byte[] page = r.pageForRead(roff);
            for (int i = 0; i < n; i++) {
                byte b = page[po + i];
                dst[done++] = b;
                if (b == 0) {
                    return done;
                }
            }
        }
        return done;
    }
}
