package dev.ksim.kernel.printk;

/**
 * Address-to-symbol resolution for {@code %pS}, {@code %ps} and {@code %pB}: the part of kallsyms
 * that {@code kallsyms_lookup()} provides. The simulated kernel's kallsyms implements it.
 *
 * <p>Implementations must be thread-safe and must not call printk (the kernel forbids the same, to
 * avoid recursion); they are called while a message is being formatted.
 */
@FunctionalInterface
public interface SymbolLookup {

    /** A lookup that never finds anything: {@code %pS} then prints {@code 0x<hex address>}. */
    SymbolLookup NONE = address -> null;

    /**
     * Finds the symbol containing {@code address}.
     *
     * @param address a kernel virtual address
     * @return the symbol whose {@code [start, start + size)} contains the address, or {@code null}
     *         when the address is in no known symbol
     */
    Symbol lookup(long address);

    /**
     * One resolved symbol, as {@code kallsyms_lookup()} reports it.
     *
     * @param name the symbol's name, e.g. {@code "kernel_clone"}; never {@code null}
     * @param offset {@code address - start}, {@code >= 0}
     * @param size the symbol's size in bytes ({@code /proc/kallsyms} does not show it; kallsyms
     *        computes it as the distance to the next symbol)
     * @param module the owning module's name, or {@code null} for a symbol in vmlinux
     */
    record Symbol(String name, long offset, long size, String module) {
        /**
         * Checks the invariants.
         *
         * @param name never {@code null}
         * @param offset the offset into the symbol
         * @param size the symbol's size
         * @param module the module, or {@code null}
         */
        public Symbol {
            if (name == null) {
                throw new NullPointerException("name");
            }
        }
    }
}
