package dev.ksim.kernel.trace;

/**
 * What a probe hit offers its fetch arguments: the registers, the stack, the memory it may read, and the
 * current task. Memory reads never throw: a fault is a null, as {@code copy_from_kernel_nofault} fails.
 */
interface FetchContext {
    /** @param name a register name accepted by the parser @return its value */
    long register(String name);

    /** @return {@code kernel_stack_pointer(regs)} (the user stack pointer for uprobes) */
    long stackPointer();

    /** @return {@code regs_return_value(regs)} */
    long returnValue();

    /** @param n the 0-based argument @return {@code regs_get_kernel_argument(regs, n)} */
    long argument(int n);

    /** @return {@code current->comm} */
    String comm();

    /**
     * @param addr an address
     * @param size bytes to read (1 to 8)
     * @param user whether it is a user address ({@code +u…()} or a uprobe)
     * @return the little-endian value, or null on a fault
     */
    Long read(long addr, int size, boolean user);

    /**
     * @param addr an address
     * @param user whether it is a user address
     * @return the NUL-terminated string there (at most {@code MAX_STRING_SIZE} bytes), or null on a fault
     */
    String readString(long addr, boolean user);

    /** @return whether plain dereferences read user memory (uprobes) */
    boolean userSpace();

    /** @param fileOffset an offset in the probed file @return its address in the current process */
    long fileAddress(long fileOffset);

    /** @param addr an address @return it as {@code %pS} prints it */
    String symbol(long addr);
}
