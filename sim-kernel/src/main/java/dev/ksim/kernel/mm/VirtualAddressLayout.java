package dev.ksim.kernel.mm;

/**
 * How an architecture splits the 64-bit virtual address space: the user half, the kernel half, and the
 * non-canonical hole between them.
 *
 * @param arch the architecture's name as {@code uname -m} prints it
 * @param userEnd the first address above the user half (exclusive end of user space)
 * @param kernelStart the lowest kernel address; addresses in {@code [userEnd, kernelStart)} are
 *     non-canonical and fault with {@link PageFault.Reason#NON_CANONICAL}
 * @param userStackTop where a new process's stack starts ({@code STACK_TOP} without randomisation)
 * @param nofaultRangeCheck whether {@code copy_from_kernel_nofault()} refuses non-kernel addresses up
 *     front with {@code -ERANGE}: x86_64 overrides {@code copy_from_kernel_nofault_allowed()} to do so,
 *     arm64 keeps the weak default that allows everything, so a user address faults and gives {@code -EFAULT}
 */
public record VirtualAddressLayout(String arch, long userEnd, long kernelStart, long userStackTop,
                                   boolean nofaultRangeCheck) {

    /** x86_64 with 4-level paging (47-bit virtual addresses). */
    public static final VirtualAddressLayout X86_64 = new VirtualAddressLayout("x86_64",
            0x0000_8000_0000_0000L, 0xffff_8000_0000_0000L, 0x0000_7fff_ffff_f000L, true);

    /** arm64 with 48-bit virtual addresses and 4 KiB pages. */
    public static final VirtualAddressLayout ARM64 = new VirtualAddressLayout("aarch64",
            0x0001_0000_0000_0000L, 0xffff_0000_0000_0000L, 0x0000_ffff_ffff_f000L, false);

    /** x86_64's {@code __PAGE_OFFSET}: the start of the direct map of physical memory. */
    public static final long X86_64_DIRECT_MAP = 0xffff_8880_0000_0000L;

    /** arm64's {@code PAGE_OFFSET} with 48-bit VAs: the start of the linear map. */
    public static final long ARM64_DIRECT_MAP = 0xffff_0000_0000_0000L;

    /**
     * @param addr an address
     * @return true if it lies in the user half
     */
    public boolean isUser(long addr) {
        return Long.compareUnsigned(addr, userEnd) < 0;
    }

    /**
     * @param addr an address
     * @return true if it lies in the kernel half
     */
    public boolean isKernel(long addr) {
        return Long.compareUnsigned(addr, kernelStart) >= 0;
    }

    /**
     * @param addr an address
     * @return true unless it lies in the hole between the halves
     */
    public boolean isCanonical(long addr) {
        return isUser(addr) || isKernel(addr);
    }

    /** @return {@code TASK_SIZE_MAX}: the end of the usable user space (one guard page below {@link #userEnd}) */
    public long taskSizeMax() {
        return userEnd - MemoryRegion.PAGE_SIZE;
    }
}
