package dev.ksim.kernel.mm;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The page table of one address space, at region granularity: a sorted, non-overlapping set of
 * {@link MemoryRegion}s.
 *
 * <p>Lookups are lock-free: they read one immutable snapshot through a volatile field and binary-search
 * it. {@link #add} and {@link #remove} copy the snapshot under {@link #lock} and publish the copy, so a
 * lookup never sees a half-updated table. A CPU that looked a region up just before it was unmapped may
 * still finish its access to it, as with a stale TLB entry.
 */
final class RegionTable {
    /** An immutable sorted view: {@code keys[i]} is {@code regions[i].start()} with the sign bit flipped. */
    private record Snapshot(long[] keys, MemoryRegion[] regions) {
    }

    private static final Snapshot EMPTY = new Snapshot(new long[0], new MemoryRegion[0]);

    /** Serialises writers; readers never take it. */
    private final Object lock = new Object();
    /** The current table; replaced, never mutated, under {@link #lock}. */
    private volatile Snapshot snapshot = EMPTY;

    /**
     * @param addr an address
     * @return the region containing it, or null
     */
    MemoryRegion find(long addr) {
        Snapshot s = snapshot;
        long[] keys = s.keys;
        long key = addr ^ Long.MIN_VALUE;
        int lo = 0;
        int hi = keys.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (hi < 0) {
            return null;
        }
        MemoryRegion r = s.regions[hi];
        return r.contains(addr) ? r : null;
    }

    /**
     * Inserts a region.
     *
     * @param r the region
     * @throws IllegalArgumentException if it overlaps a mapped region
     */
    void add(MemoryRegion r) {
        synchronized (lock) {
            Snapshot s = snapshot;
            for (MemoryRegion o : s.regions) {
                boolean overlaps = o.contains(r.start()) || r.contains(o.start());
                if (overlaps) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "region '%s' at 0x%x overlaps '%s'", r.name(), r.start(), o.name()));
                }
            }
            int n = s.regions.length;
            MemoryRegion[] regions = Arrays.copyOf(s.regions, n + 1);
            regions[n] = r;
            Arrays.sort(regions, (a, b) -> Long.compareUnsigned(a.start(), b.start()));
            long[] keys = new long[n + 1];
            for (int i = 0; i <= n; i++) {
                keys[i] = regions[i].start() ^ Long.MIN_VALUE;
            }
            snapshot = new Snapshot(keys, regions);
        }
    }

    /**
     * Removes the region that starts at an address.
     *
     * @param start the region's first address
     * @return the removed region, or null if none starts there
     */
    MemoryRegion remove(long start) {
        synchronized (lock) {
            Snapshot s = snapshot;
            int n = s.regions.length;
            for (int i = 0; i < n; i++) {
                if (s.regions[i].start() == start) {
                    MemoryRegion removed = s.regions[i];
                    MemoryRegion[] regions = new MemoryRegion[n - 1];
                    long[] keys = new long[n - 1];
                    System.arraycopy(s.regions, 0, regions, 0, i);
                    System.arraycopy(s.regions, i + 1, regions, i, n - 1 - i);
                    System.arraycopy(s.keys, 0, keys, 0, i);
                    System.arraycopy(s.keys, i + 1, keys, i, n - 1 - i);
                    snapshot = new Snapshot(keys, regions);
                    return removed;
                }
            }
            return null;
        }
    }

    /** @return the regions in address order (an immutable copy) */
    List<MemoryRegion> all() {
        return List.of(snapshot.regions);
    }
}
