package dev.ksim.sdk.linux;

import dev.ksim.sdk.spi.KernelBinding;
import dev.ksim.sdk.spi.KernelServices;
import java.nio.charset.StandardCharsets;

/**
 * A typed view of a kernel structure at an address, read field by field through the running kernel's
 * layout, as {@code BPF_CORE_READ} does: a field is found by name, so the same module works on kernel
 * profiles whose layouts differ. A view is only an address and a type, like a C pointer: creating one
 * reads nothing, and every accessor reads the kernel's memory again.
 *
 * <p><b>Faults.</b> Accessors dereference like C: reading through a NULL view ({@link #isNull()}), a
 * freed object or a wild pointer faults, and the kernel handles the fault as it would a bad dereference
 * in a handler (the probe's {@code fault_handler}, else an Oops). Where a pointer may be bad, read with
 * {@code Maccess.core_read(() -> ..., fallback)}, which turns any fault into the fallback.
 *
 * <p><b>Members.</b> A member the running kernel does not have throws {@link NoSuchMemberException}.
 * Pointer members return views (possibly NULL views); embedded structures return views at the member's
 * address; {@code char *} members are read up to their NUL, at most {@link #PATH_MAX} bytes; strings are
 * decoded as UTF-8.
 *
 * <p>Views are immutable and may be shared between threads; equality is by type and address.
 */
public abstract class KernelStruct {
    /** {@code PATH_MAX}: the longest string a {@code char *} accessor reads, including the NUL. */
    public static final int PATH_MAX = 4096;

    /** The structure's address in kernel memory; 0 for a NULL pointer. */
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
     * {@code offsetof(struct S, member)} in the running kernel.
     *
     * @param member a member, or a dotted path through embedded structures ({@code "f_path.dentry"})
     * @return its offset
     * @throws NoSuchMemberException if the running kernel has no such member
     */
    public final long offsetof(String member) {
        return offset(KernelBinding.current(), member);
    }

    /**
     * {@code &s->member}: computes an address, reads nothing (so it never faults, even on a NULL view).
     *
     * @param member a member or dotted path
     * @return {@code addr + offsetof(member)}
     * @throws NoSuchMemberException if the running kernel has no such member
     */
    public final long addrOf(String member) {
        return addr + offsetof(member);
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
     * @param member a 1-byte member
     * @return its value, 0..255
     */
    protected final int u8(String member) {
        return (int) field(member, 1);
    }

    /**
     * @param member a 2-byte member
     * @return its value, 0..65535
     */
    protected final int u16(String member) {
        return (int) field(member, 2);
    }

    /**
     * @param member a 4-byte member ({@code int}, {@code u32}, {@code pid_t}, {@code kuid_t}…)
     * @return its bits
     */
    protected final int i32(String member) {
        return (int) field(member, 4);
    }

    /**
     * @param member an 8-byte member ({@code long}, {@code u64}, {@code loff_t}…)
     * @return its bits
     */
    protected final long i64(String member) {
        return field(member, 8);
    }

    /**
     * @param member a pointer member
     * @return the pointer
     */
    protected final long ptr(String member) {
        return field(member, 8);
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
        return readString(k, addr + offset(k, member), length);
    }

    /**
     * Reads the string a {@code char *} member points to: the pointer, then the bytes up to the NUL
     * ({@link #PATH_MAX} at most). A NULL pointer faults, as {@code strlen(NULL)} would.
     *
     * @param member a {@code char *} member
     * @return the string
     */
    protected final String string(String member) {
        KernelServices k = KernelBinding.current();
        long p = k.read(addr + offset(k, member), 8);
        return readString(k, p, PATH_MAX);
    }

    /**
     * Reads a NUL-terminated kernel string as a dereference would: a bad address faults.
     *
     * @param ptr the string's address
     * @param max the most bytes to read; the string is cut there if no NUL comes first
     * @return the string, decoded as UTF-8
     */
    public static String readString(long ptr, int max) {
        return readString(KernelBinding.current(), ptr, max);
    }

    /**
     * Reads in aligned 8-byte words, so no load crosses into a page the string does not touch (the
     * kernel's word-at-a-time string functions do the same).
     */
    static String readString(KernelServices k, long ptr, int max) {
        byte[] buf = new byte[Math.min(max, 64)];
        int len = 0;
        long word = ptr & ~7L;
        int skip = (int) (ptr & 7);
        while (len < max) {
            long w = k.read(word, 8) >>> (8 * skip);
            for (int i = skip; i < 8 && len < max; i++, w >>>= 8) {
                byte b = (byte) w;
                if (b == 0) {
                    return new String(buf, 0, len, StandardCharsets.UTF_8);
                }
                if (len == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, Math.min(max, buf.length * 2));
                }
                buf[len++] = b;
            }
            skip = 0;
            word += 8;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    private long offset(KernelServices k, String member) {
        long off = k.offsetof(structName(), member);
        if (off < 0) {
            throw new NoSuchMemberException(structName(), member);
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
