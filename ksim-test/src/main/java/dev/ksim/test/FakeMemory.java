package dev.ksim.test;

import dev.ksim.kernel.mm.StructLayouts;
import dev.ksim.kernel.mm.StructMember;
import dev.ksim.sdk.Errno;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Kernel memory for unit tests: structures laid out as the simulated kernel lays them out (its
 * {@code offsetof} table for x86_64 or arm64), built member by member and read back by the SDK's typed views
 * ({@code new TaskStruct(addr).comm()}) through a {@link MockKernel}.
 *
 * <pre>{@code
 * long cred = mem.struct("cred").set("uid", 1000).build();
 * long task = mem.struct("task_struct").set("pid", 42).set("comm", "bash").set("cred", cred).build();
 * }</pre>
 *
 * <p>Little-endian, allocated from the direct map ({@code 0xffff888100000000}); an address that was not
 * allocated faults: {@link #read} throws, {@link #copyFromKernelNofault} returns {@code -EFAULT}. Thread-safe
 * (every method synchronizes on this).
 */
public final class FakeMemory {
    private static final int PAGE = 4096;
    private static final long BASE = 0xffff888100000000L;

    private final StructLayouts layouts;
    /** Allocated pages by page number; guarded by this. */
    private final Map<Long, byte[]> pages = new HashMap<>();
    /** The next free address; guarded by this. */
    private long next = BASE;

    /** @param layouts the structure layouts ({@link StructLayouts#x86_64_v6()} or {@code arm64_v6()}) */
    public FakeMemory(StructLayouts layouts) {
        this.layouts = layouts;
    }

    /** @return the layouts */
    public StructLayouts layouts() {
        return layouts;
    }

    /**
     * @param size bytes
     * @return the address of a zeroed, 16-byte aligned block
     */
    public synchronized long alloc(int size) {
        long addr = next;
        next = (next + Math.max(size, 1) + 15) & ~15L;
        for (long p = Long.divideUnsigned(addr, PAGE); p <= Long.divideUnsigned(next - 1, PAGE); p++) {
            pages.computeIfAbsent(p, x -> new byte[PAGE]);
        }
        return addr;
    }

    /**
     * @param s a string
     * @return the address of a NUL-terminated copy (UTF-8)
     */
    public synchronized long string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long addr = alloc(b.length + 1);
        for (int i = 0; i < b.length; i++) {
            write(addr + i, 1, b[i]);
        }
        return addr;
    }

    /**
     * @param struct a structure's C name
     * @return a builder for a zeroed instance of it
     * @throws IllegalArgumentException if the layouts have no such structure
     */
    public StructBuilder struct(String struct) {
        int size = layouts.sizeof(struct);
        if (size < 0) {
            throw new IllegalArgumentException("no struct " + struct + " in the " + layouts.profile() + " layouts");
        }
        return new StructBuilder(struct, alloc(size));
    }

    /**
     * @param struct a structure
     * @param member a member or dotted path
     * @return its offset, or -1 (what {@code KernelServices.offsetof} answers)
     */
    public long offsetof(String struct, String member) {
        return layouts.offsetof(struct, member);
    }

    /**
     * @param addr an address
     * @param size 1, 2, 4 or 8 bytes
     * @return the value, zero-extended
     * @throws IllegalArgumentException if a byte is not allocated (the kernel would oops)
     */
    public synchronized long read(long addr, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (page(addr + i)[(int) Long.remainderUnsigned(addr + i, PAGE)] & 0xff);
        }
        return v;
    }

    /**
     * @param addr an address
     * @param size 1, 2, 4 or 8 bytes
     * @param value the value, truncated to size
     * @throws IllegalArgumentException if a byte is not allocated
     */
    public synchronized void write(long addr, int size, long value) {
        for (int i = 0; i < size; i++) {
            page(addr + i)[(int) Long.remainderUnsigned(addr + i, PAGE)] = (byte) (value >>> (8 * i));
        }
    }

    /**
     * {@code copy_from_kernel_nofault}.
     *
     * @param dst the destination
     * @param src the source address
     * @param size bytes
     * @return 0, or {@code -EFAULT} if a byte is not allocated
     */
    public synchronized int copyFromKernelNofault(byte[] dst, long src, int size) {
        if (!mapped(src, size)) {
            return -Errno.EFAULT;
        }
        for (int i = 0; i < size; i++) {
            dst[i] = (byte) read(src + i, 1);
        }
        return 0;
    }

    /**
     * {@code strncpy_from_kernel_nofault}.
     *
     * @param dst the destination
     * @param src the source address
     * @param count at most this many bytes, the NUL included
     * @return the string's length with the NUL, {@code count} if truncated, or {@code -EFAULT}
     */
    public synchronized long strncpyFromKernelNofault(byte[] dst, long src, int count) {
        for (int i = 0; i < count; i++) {
            if (!mapped(src + i, 1)) {
                dst[0] = 0;
                return -Errno.EFAULT;
            }
            dst[i] = (byte) read(src + i, 1);
            if (dst[i] == 0) {
                return i + 1;
            }
        }
        dst[count - 1] = 0;
        return count;
    }

    private boolean mapped(long addr, int size) {
        for (long a = addr; a < addr + size; a++) {
            if (!pages.containsKey(Long.divideUnsigned(a, PAGE))) {
                return false;
            }
        }
        return true;
    }

    private byte[] page(long addr) {
        byte[] p = pages.get(Long.divideUnsigned(addr, PAGE));
        if (p == null) {
            throw new IllegalArgumentException(String.format("BUG: unable to handle page fault for address: %016x",
                    addr));
        }
        return p;
    }

    /** Fills one structure member by member; {@link #build()} returns its address. */
    public final class StructBuilder {
        private final String struct;
        private final long addr;

        StructBuilder(String struct, long addr) {
            this.struct = struct;
            this.addr = addr;
        }

        /**
         * Sets an integer or pointer member (its size from the layout).
         *
         * @param member a member or dotted path ({@code "cred"}, {@code "f_path.dentry"})
         * @param value the value
         * @return this
         */
        public StructBuilder set(String member, long value) {
            StructMember m = member(member);
            write(addr + m.offset(), Math.min(m.size(), 8), value);
            return this;
        }

        /**
         * Sets a string member: a {@code char[N]} array gets the bytes (truncated to N-1, NUL-terminated); a
         * {@code char *} gets a pointer to a new copy.
         *
         * @param member the member
         * @param value the string
         * @return this
         */
        public StructBuilder set(String member, String value) {
            StructMember m = member(member);
            if (m.isPointer()) {
                write(addr + m.offset(), 8, string(value));
                return this;
            }
            byte[] b = value.getBytes(StandardCharsets.UTF_8);
            int n = Math.min(b.length, m.size() - 1);
            for (int i = 0; i < m.size(); i++) {
                write(addr + m.offset() + i, 1, i < n ? b[i] : 0);
            }
            return this;
        }

        /** @return the structure's address */
        public long build() {
            return addr;
        }

        private StructMember member(String member) {
            StructMember m = layouts.member(struct, member);
            if (m == null) {
                throw new IllegalArgumentException("struct " + struct + " has no member " + member);
            }
            return m;
        }
    }
}
