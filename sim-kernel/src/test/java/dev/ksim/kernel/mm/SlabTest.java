package dev.ksim.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SlabTest {
    static final long X86_BASE = VirtualAddressLayout.X86_64_DIRECT_MAP;
    static final long RAM = 64L << 20;

    private final List<SlabError> errors = new CopyOnWriteArrayList<>();
    private final KernelMemory mem = new KernelMemory(VirtualAddressLayout.X86_64);
    private final Slab slab = new Slab(mem, X86_BASE, RAM, errors::add);

    @ParameterizedTest
    @CsvSource({"1,8", "8,8", "9,16", "32,32", "33,64", "65,96", "96,96", "97,128", "129,192", "193,256",
        "257,512", "1000,1024", "1025,2048", "4096,4096", "8192,8192"})
    void sizeClasses(long request, long expected) {
        long p = slab.kmalloc(request);
        assertEquals(expected, slab.ksize(p));
        String name = expected >= 1024 ? "kmalloc-" + (expected >> 10) + "k" : "kmalloc-" + expected;
        assertEquals(name, slab.kmallocCache(request).name());
        assertEquals(p & 7, 0, "kmalloc memory is at least 8-byte aligned");
    }

    @Test
    void largeAllocationsUsePages() {
        long p = slab.kmalloc(8193);
        assertEquals(16384, slab.ksize(p));
        assertEquals(0, p & 16383, "page allocations are naturally aligned");
        assertNull(slab.kmallocCache(8193));
        assertEquals(4L << 20, slab.ksize(slab.kmalloc(Slab.KMALLOC_MAX_SIZE)));
        assertEquals(0, slab.kmalloc(Slab.KMALLOC_MAX_SIZE + 1), "too large: NULL");
        assertEquals(0, slab.kmalloc(-1));
    }

    @Test
    void addressesAreInTheDirectMap() {
        long p = slab.kmalloc(64);
        assertTrue(Long.compareUnsigned(p, X86_BASE) >= 0 && Long.compareUnsigned(p, X86_BASE + RAM) < 0);
        KernelMemory arm = new KernelMemory(VirtualAddressLayout.ARM64);
        Slab armSlab = new Slab(arm, VirtualAddressLayout.ARM64_DIRECT_MAP, RAM, SlabListener.IGNORE);
        assertEquals(0xffff_0000L, armSlab.kmalloc(8) >>> 32);
    }

    @Test
    void kmallocZeroReturnsZeroSizePtrWhichFaults() {
        long p = slab.kmalloc(0);
        assertEquals(Slab.ZERO_SIZE_PTR, p);
        assertEquals(PageFault.Reason.NULL_POINTER, assertThrows(PageFault.class, () -> mem.read8(p)).reason());
        slab.kfree(p);
        slab.kfree(0);
        assertEquals(0, slab.ksize(p));
        assertTrue(errors.isEmpty());
    }

    @Test
    void kmallocHoldsPoisonUntilWrittenAndKzallocIsZeroed() {
        long p = slab.kmalloc(64);
        assertEquals(0x6b6b_6b6b_6b6b_6b6bL, mem.read64(p));
        assertEquals(Slab.POISON_END, mem.read8(p + 63));
        long z = slab.kzalloc(64);
        for (int i = 0; i < 64; i += 8) {
            assertEquals(0, mem.read64(z + i));
        }
    }

    @Test
    void freedObjectsArePoisonedAndNotReusedImmediately() {
        long p = slab.kzalloc(128);
        mem.write64(p, 0x1234);
        slab.kfree(p);
        assertEquals(0x6b6b_6b6b_6b6b_6b6bL, mem.read64(p), "use-after-free reads POISON_FREE");
        assertEquals(0x6b, mem.read8(p + 126));
        assertEquals(0xa5, mem.read8(p + 127), "last byte is POISON_END");
        Set<Long> next = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            next.add(slab.kmalloc(128));
        }
        assertTrue(!next.contains(p), "a freed object stays in quarantine for a while");
    }

    @Test
    void quarantinedObjectsAreEventuallyReused() {
        Set<Long> seen = new HashSet<>();
        boolean reused = false;
        for (int i = 0; i < 10_000 && !reused; i++) {
            long p = slab.kmalloc(8192);
            reused = !seen.add(p);
            slab.kfree(p);
        }
        assertTrue(reused, "memory is recycled after the quarantine");
        assertTrue(slab.usedPages() < 1000, "recycling bounds memory use: " + slab.usedPages());
    }

    @Test
    void doubleFreeIsReportedAndIgnored() {
        long p = slab.kmalloc(32);
        slab.kfree(p);
        slab.kfree(p);
        assertEquals(1, errors.size());
        SlabError e = errors.get(0);
        assertEquals(SlabError.Kind.DOUBLE_FREE, e.kind());
        assertEquals(p, e.addr());
        assertEquals("kmalloc-32", e.cache());
        SlabInfo info = find("kmalloc-32");
        assertEquals(1, info.frees(), "the second free changed nothing");
        assertEquals(0, info.activeObjs());
    }

    @Test
    void largeDoubleFreeAndBadPointersAreReported() {
        long big = slab.kmalloc(20_000);
        slab.kfree(big);
        assertEquals(Slab.PAGE_POISON, mem.read8(big + 100), "freed pages are poisoned");
        slab.kfree(big);
        long p = slab.kmalloc(64);
        slab.kfree(p + 8);
        slab.kfree(X86_BASE + RAM - 4096);
        slab.kfree(0xffff_ffff_8100_0000L);
        assertEquals(List.of(SlabError.Kind.DOUBLE_FREE, SlabError.Kind.INVALID_FREE, SlabError.Kind.INVALID_FREE,
                SlabError.Kind.INVALID_FREE), errors.stream().map(SlabError::kind).toList());
        assertEquals(64, slab.ksize(p), "the bad free did not free the object");
    }

    @Test
    void namedCachesCountAllocationsAndCheckOwnership() {
        KmemCache tasks = slab.createCache("task_struct", 9728, 64);
        KmemCache creds = slab.createCache("cred_jar", 176, 8);
        assertThrows(IllegalArgumentException.class, () -> slab.createCache("cred_jar", 8, 8));
        long t = tasks.zalloc();
        long c1 = creds.alloc();
        long c2 = creds.alloc();
        assertEquals(0, t & 63);
        assertEquals(176, slab.ksize(c1));
        creds.free(c1);
        tasks.free(c2);
        assertEquals(SlabError.Kind.WRONG_CACHE, errors.get(0).kind());
        slab.kfree(c2);
        SlabInfo ci = creds.info();
        assertEquals("cred_jar", ci.name());
        assertEquals(0, ci.activeObjs());
        assertEquals(2, ci.allocations());
        assertEquals(2, ci.frees());
        assertEquals(ci.objPerSlab() * ci.numSlabs(), ci.numObjs());
        SlabInfo ti = tasks.info();
        assertEquals(1, ti.activeObjs());
        assertEquals(3, ti.objPerSlab(), "9728-byte objects: 3 per order-3 slab");
        assertEquals(8, ti.pagesPerSlab());
        assertEquals("cred_jar", slab.cache("cred_jar").name());
    }

    @Test
    void slabinfoListsKmallocCachesFirst() {
        List<String> names = slab.slabinfo().stream().map(SlabInfo::name).toList();
        assertEquals(List.of("kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-96", "kmalloc-128",
                "kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1k", "kmalloc-2k", "kmalloc-4k",
                "kmalloc-8k"), names);
        slab.kmalloc(100);
        slab.kmalloc(100);
        SlabInfo i = find("kmalloc-128");
        assertEquals(2, i.activeObjs());
        assertEquals(32, i.objPerSlab());
        assertEquals(1, i.pagesPerSlab());
    }

    @Test
    void pageAllocations() {
        long stack = slab.allocPages(2);
        assertEquals(0, stack & 16383);
        assertEquals(16384, slab.ksize(stack));
        slab.kfree(stack);
        assertEquals(SlabError.Kind.INVALID_FREE, errors.get(0).kind(), "kfree of page-allocator memory");
        slab.freePages(stack, 1);
        assertEquals(2, errors.size(), "wrong order");
        slab.freePages(stack, 2);
        slab.freePages(stack, 2);
        assertEquals(SlabError.Kind.DOUBLE_FREE, errors.get(2).kind());
        assertEquals(0, slab.allocPages(11));
    }

    @Test
    void exhaustionReturnsNull() {
        KernelMemory small = new KernelMemory(VirtualAddressLayout.X86_64);
        Slab tiny = new Slab(small, X86_BASE, 4L << 20, SlabListener.IGNORE);
        List<Long> got = new ArrayList<>();
        long p;
        while ((p = tiny.kmalloc(1 << 20)) != 0) {
            got.add(p);
        }
        assertEquals(4, got.size());
        assertEquals(0, tiny.kmalloc(64), "no page left for a new slab");
        tiny.kfree(got.get(0));
        assertNotEquals(0, tiny.kmalloc(1 << 20), "a freed block of the same order is reused");
    }

    private SlabInfo find(String name) {
        return slab.slabinfo().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }
}
