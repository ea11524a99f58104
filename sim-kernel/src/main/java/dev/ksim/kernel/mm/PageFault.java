package dev.ksim.kernel.mm;

import java.util.Locale;

/**
 * A memory access the hardware would refuse: a kernel dereference of a NULL, unmapped, non-canonical or
 * user address, or a store to a read-only page. The kernel's fault path catches it and either runs a
 * probe's {@code fault_handler}, an exception-table fixup ({@code *_nofault}, {@code copy_from_user}) or
 * prints an Oops. It is unchecked because, as in C, any dereference may fault.
 */
public final class PageFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the access faulted; the kernel words its Oops after it. */
    public enum Reason {
        /** An address in the first page: {@code BUG: kernel NULL pointer dereference}. */
        NULL_POINTER("kernel NULL pointer dereference"),
        /** No region maps the page: {@code #PF: error_code(0x0000) - not-present page}. */
        NOT_PRESENT("not-present page"),
        /** The page is mapped but forbids the access (a store to read-only memory, a PROT_NONE guard). */
        PROTECTION("permissions violation"),
        /** A kernel dereference of a user address, refused by SMAP (x86_64) or PAN (arm64). */
        USER_ADDRESS("kernel access of user address"),
        /** An address between the user and kernel halves: {@code general protection fault} on x86_64. */
        NON_CANONICAL("non-canonical address");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** @return a short description, as the kernel's fault messages word it */
        public String text() {
            return text;
        }
    }

    /** The first address that could not be accessed. */
    private final long address;
    /** True for a store. */
    private final boolean write;
    /** Why the access faulted. */
    private final Reason reason;

    /**
     * @param address the first address that could not be accessed
     * @param write true for a store, false for a load
     * @param reason why the access faulted
     */
    public PageFault(long address, boolean write, Reason reason) {
        super(String.format(Locale.ROOT, "%s at address 0x%016x (%s access)", reason.text(), address,
                write ? "write" : "read"));
        this.address = address;
        this.write = write;
        this.reason = reason;
    }

    /** @return the first address that could not be accessed ({@code CR2} on x86_64, {@code FAR} on arm64) */
    public long address() {
        return address;
    }

    /** @return true for a store, false for a load */
    public boolean write() {
        return write;
    }

    /** @return why the access faulted */
    public Reason reason() {
        return reason;
    }
}
