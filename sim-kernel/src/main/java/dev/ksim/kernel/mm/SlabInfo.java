package dev.ksim.kernel.mm;

/**
 * One cache's counters, the columns of {@code /proc/slabinfo} plus allocation totals.
 *
 * @param name the cache's name, e.g. {@code "kmalloc-64"}
 * @param activeObjs objects currently allocated
 * @param numObjs objects in all slabs, allocated or free
 * @param objSize the size of one object in bytes
 * @param objPerSlab objects per slab
 * @param pagesPerSlab pages per slab
 * @param numSlabs slabs (the simulator never releases a slab, so all are active)
 * @param allocations successful allocations since boot
 * @param frees successful frees since boot
 */
public record SlabInfo(String name, long activeObjs, long numObjs, int objSize, int objPerSlab, int pagesPerSlab,
                       long numSlabs, long allocations, long frees) {
}
