package dev.ksim.sdk.linux;

import dev.ksim.sdk.spi.KernelBinding;
import dev.ksim.sdk.spi.KernelServices;

/**
 * A typed view of a kernel structure at an address, read field by field through the running kernel's
 * layout, as {@code BPF_CORE_READ} does: a field is found by name, so the same module works on kernel
 * profiles whose layouts differ. Reading through a bad pointer faults like a C dereference; use the
 * {@code *_nofault} functions where the pointer may be bad.
 */
public abstract class KernelStruct {
    /** The structure's address in kernel memory. */
    public final long addr;

    /** @param addr the structure's address */
    protected KernelStruct(long addr) {
        this.addr = addr;
    }

    /** @return the structure's C name, e.g. {@code "task_struct"} */
    protected abstract String structName();

    /** @return true for a NULL pointer */
    public final boolean isNull() {
        return addr == 0;
    }

    /**
     * Reads an integer member.
     *
     * @param member the member's name
     * @param size its size in bytes
     * @return the value, zero-extended
     */
    protected final long field(String member, int size) {
        KernelServices k = KernelBinding.current();
        return k.read(addr + offset(k, member), size);
    }

    /**
     * Reads a fixed-size {@code char[]} member as a string, up to its NUL.
     *
     * @param member the member's name
     * @param length the array's length
     * @return the string
     */
    protected final String charArray(String member, int length) {
        KernelServices k = KernelBinding.current();
        long base = addr + offset(k, member);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int c = (int) k.read(base + i, 1);
            if (c == 0) {
                break;
            }
            s.append((char) c);
        }
        return s.toString();
    }

    private long offset(KernelServices k, String member) {
        long off = k.offsetof(structName(), member);
        if (off < 0) {
            throw new IllegalArgumentException("struct " + structName() + " has no member '" + member
                    + "' in this kernel");
        }
        return off;
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((KernelStruct) o).addr == addr;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(addr);
    }

    @Override
    public String toString() {
        return "(struct " + structName() + " *)0x" + Long.toHexString(addr);
    }
}
