package dev.ksim.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Simulated CPUs on several threads allocate, free, read, write and remap at once: the allocator must
 * never hand one object to two owners, a thread's private data must read back intact, and the region
 * table must stay well formed.
 */
class MemoryConcurrencyTest {
    static final long VMALLOC = 0xffff_c900_0000_0000L;

    private final List<SlabError> errors = new CopyOnWriteArrayList<>();
    private final KernelMemory mem = new KernelMemory(VirtualAddressLayout.X86_64);
    private final Slab slab = new Slab(mem, VirtualAddressLayout.X86_64_DIRECT_MAP, 128L << 20, errors::add);
    /** Address → owning thread, for every live allocation. */
    private final ConcurrentHashMap<Long, Integer> owners = new ConcurrentHashMap<>();
    /** Address → size of every live allocation too large for a slab cache. */
    private final ConcurrentHashMap<Long, Long> large = new ConcurrentHashMap<>();

    @Test
    @Timeout(60)
    void allocatorsReadersWritersAndMappersRaceSafely() throws Exception {
        int allocators = 3;
        ExecutorService pool = Executors.newFixedThreadPool(allocators + 2);
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < allocators; t++) {
            int id = t;
            futures.add(pool.submit(() -> {
                start.await();
                allocate(id, 20_000);
                return null;
            }));
        }
        long shared = slab.kzalloc(64);
        futures.add(pool.submit(() -> {
            start.await();
            remap(stop, shared);
            return null;
        }));
        futures.add(pool.submit((Callable<Void>) () -> {
            start.await();
            SplittableRandom r = new SplittableRandom(7);
            while (!stop.get()) {
                mem.write64(shared + 8 * r.nextInt(8), r.nextLong()); // racy on purpose: tearing is allowed
                mem.read32(shared + r.nextInt(60));
            }
            return null;
        }));
        start.countDown();
        for (int i = 0; i < allocators; i++) {
            futures.get(i).get(50, TimeUnit.SECONDS);
        }
        stop.set(true);
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertEquals(List.of(), errors, "no double frees or bad frees were reported");
        long live = 0;
        for (SlabInfo i : slab.slabinfo()) {
            assertEquals(i.allocations() - i.frees(), i.activeObjs(), i.name());
            assertTrue(i.activeObjs() <= i.numObjs(), i.name());
            live += i.activeObjs();
        }
        assertEquals(owners.size() - large.size() + 1, live, "every live slab object is accounted for (+1 shared)");
        for (var e : large.entrySet()) {
            assertTrue(slab.ksize(e.getKey()) >= e.getValue(), "large allocation still live");
        }
        MemoryRegion prev = null;
        for (MemoryRegion r : mem.regions()) {
            if (prev != null) {
                assertTrue(Long.compareUnsigned(prev.end(), r.start()) <= 0, prev + " overlaps " + r);
            }
            prev = r;
        }
    }

    private void allocate(int id, int rounds) {
        SplittableRandom r = new SplittableRandom(id);
        List<Long> mine = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            if (mine.size() < 200 && (mine.isEmpty() || r.nextInt(3) > 0)) {
                long size = 1 + r.nextInt(r.nextInt(10) == 0 ? 20_000 : 512);
                long p = r.nextBoolean() ? slab.kmalloc(size) : slab.kzalloc(size);
                if (p == 0) {
                    fail("out of memory after " + i + " rounds");
                }
                Integer prevOwner = owners.putIfAbsent(p, id);
                assertNull(prevOwner, "object 0x" + Long.toHexString(p) + " handed to two owners");
                if (size > Slab.KMALLOC_MAX_CACHE_SIZE) {
                    large.put(p, size);
                }
                if (size >= 16) {
                    mem.write64(p, stamp(id, p));
                }
                mem.write8(p + size - 1, id);
                mine.add(p);
                sizes.add(size);
            } else {
                int k = r.nextInt(mine.size());
                long p = mine.remove(k);
                long size = sizes.remove(k);
                if (size >= 16) {
                    assertEquals(stamp(id, p), mem.read64(p), "private data survived");
                }
                assertEquals(id, mem.read8(p + size - 1));
                owners.remove(p);
                large.remove(p);
                slab.kfree(p);
            }
        }
    }

    private void remap(AtomicBoolean stop, long shared) {
        long i = 0;
        while (!stop.get()) {
            long base = VMALLOC + (i % 64) * 0x10_0000;
            mem.map("vmalloc-" + i, base, 8192, Prot.RW);
            mem.write64(base + 4092, i);
            assertEquals(i, mem.read64(base + 4092), "cross-page store reads back");
            mem.read32(shared);
            assertTrue(mem.unmap(base));
            i++;
        }
    }

    private static long stamp(int id, long p) {
        return p ^ ((long) id << 56) ^ 0x5a5a_5a5a_5a5a_5a5aL;
    }
}
