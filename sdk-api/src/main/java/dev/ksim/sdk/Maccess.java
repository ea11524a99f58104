package dev.ksim.sdk;

import dev.ksim.sdk.linux.NoSuchMemberException;
import dev.ksim.sdk.spi.ForwardingKernelServices;
import dev.ksim.sdk.spi.KernelBinding;
import dev.ksim.sdk.spi.KernelServices;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Safe kernel-memory access: the functions of {@code <linux/uaccess.h>}'s {@code *_nofault} family
 * ({@code mm/maccess.c}) and their BPF counterparts ({@code bpf_probe_read_kernel},
 * {@code BPF_CORE_READ}). None of them faults: a bad address gives an error code or a fallback value,
 * which is what a probe handler reading a pointer it does not own must use. Use with
 * {@code import static dev.ksim.sdk.Maccess.*;}.
 *
 * <pre>{@code
 * // C:    const char *filename = BPF_CORE_READ(name, name);
 * //       pid_t ppid = BPF_CORE_READ(task, real_parent, tgid);
 * String filename = core_read(() -> new Filename(regs.kernelArgument(1)).name(), "?");
 * int ppid = core_read_int(() -> TaskStruct.current().real_parent().tgid(), -1);
 *
 * // C:    if (copy_from_kernel_nofault(&ra, &bdi->ra_pages, sizeof(ra))) return 0;
 * Nofault ra = read_kernel_nofault(bdi.addrOf("ra_pages"), 8);
 * if (!ra.ok()) return 0;
 * }</pre>
 *
 * <p>Error codes are the kernel's: {@code -EFAULT} for memory that cannot be read, {@code -ERANGE} (on
 * x86_64) for an address outside the kernel half, which {@code copy_from_kernel_nofault()} refuses
 * before trying.
 */
public final class Maccess {
    private Maccess() {
    }

    // ---------------------------------------------------------------- mm/maccess.c

    /**
     * {@code copy_from_kernel_nofault()}: copies kernel memory without faulting.
     *
     * @param dst the destination, at least {@code size} bytes
     * @param src the kernel address
     * @param size how many bytes
     * @return 0; {@code -EFAULT} if a byte is not readable ({@code dst} is then partly written);
     *     {@code -ERANGE} for a non-kernel address on x86_64
     */
    public static int copy_from_kernel_nofault(byte[] dst, long src, int size) {
        return KernelBinding.current().copy_from_kernel_nofault(dst, src, size);
    }

    /**
     * {@code strncpy_from_kernel_nofault()}: copies a NUL-terminated string without faulting.
     *
     * @param dst the destination, at least {@code count} bytes; NUL-terminated unless the result is 0
     * @param src the kernel address
     * @param count the most bytes to store, including the NUL
     * @return the length <em>including</em> the NUL; {@code count} if the string was truncated (the last
     *     byte stored is then the NUL); {@code -EFAULT} or {@code -ERANGE} on a bad address; 0 for
     *     {@code count <= 0}
     */
    public static long strncpy_from_kernel_nofault(byte[] dst, long src, int count) {
        return KernelBinding.current().strncpy_from_kernel_nofault(dst, src, count);
    }

    /**
     * {@code copy_from_user_nofault()}: copies from the current process's memory without faulting, so a
     * probe handler may read user arguments ({@code argv}) where {@code copy_from_user} would sleep.
     *
     * @param dst the destination, at least {@code size} bytes
     * @param src the user address
     * @param size how many bytes
     * @return 0; {@code -EFAULT} if a byte is not mapped, or in a kernel thread
     */
    public static long copy_from_user_nofault(byte[] dst, long src, int size) {
        return KernelBinding.current().copy_from_user_nofault(dst, src, size);
    }

    /**
     * {@code strncpy_from_user_nofault()}: copies a NUL-terminated string from user memory without faulting.
     *
     * @param dst the destination, at least {@code count} bytes
     * @param src the user address
     * @param count the most bytes to store, including the NUL
     * @return the length <em>including</em> the NUL; {@code count} if truncated; {@code -EFAULT}
     */
    public static long strncpy_from_user_nofault(byte[] dst, long src, int count) {
        return KernelBinding.current().strncpy_from_user_nofault(dst, src, count);
    }

    /**
     * The result of a typed non-faulting load: an error code and, when it is 0, the value.
     *
     * @param err 0, or a negative errno
     * @param value the value loaded (zero-extended), 0 on error
     */
    public record Nofault(int err, long value) {
        /** @return true if the load succeeded */
        public boolean ok() {
            return err == 0;
        }

        /**
         * @param fallback the value to use on error
         * @return the value, or the fallback on error
         */
        public long orElse(long fallback) {
            return err == 0 ? value : fallback;
        }
    }

    /**
     * {@code get_kernel_nofault(val, ptr)}, C style: loads 1, 2, 4 or 8 bytes into {@code val[0]}.
     *
     * @param val receives the value, zero-extended; untouched on error
     * @param ptr the kernel address
     * @param size 1, 2, 4 or 8
     * @return 0, or a negative errno ({@code -EINVAL} for another size)
     */
    public static int get_kernel_nofault(long[] val, long ptr, int size) {
        Nofault r = read_kernel_nofault(ptr, size);
        if (r.ok()) {
            val[0] = r.value();
        }
        return r.err();
    }

    /**
     * {@code get_kernel_nofault}, Java style: loads 1, 2, 4 or 8 little-endian bytes.
     *
     * @param ptr the kernel address
     * @param size 1, 2, 4 or 8
     * @return the error code and value
     */
    public static Nofault read_kernel_nofault(long ptr, int size) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            return new Nofault(-Errno.EINVAL, 0);
        }
        byte[] b = new byte[size];
        int err = KernelBinding.current().copy_from_kernel_nofault(b, ptr, size);
        return err == 0 ? new Nofault(0, littleEndian(b, size)) : new Nofault(err, 0);
    }

    /**
     * Reads a kernel string without faulting.
     *
     * @param ptr the string's address
     * @param max the most bytes to read, including the NUL ({@code count} of
     *     {@link #strncpy_from_kernel_nofault})
     * @return the string (cut to {@code max - 1} bytes if longer), or null if it could not be read
     */
    public static String kernel_string_nofault(long ptr, int max) {
        if (max <= 0) {
            return "";
        }
        byte[] buf = new byte[max];
        long n = KernelBinding.current().strncpy_from_kernel_nofault(buf, ptr, max);
        return n < 0 ? null : new String(buf, 0, (int) Math.max(n - 1, 0), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- BPF helpers

    /**
     * {@code bpf_probe_read_kernel(dst, size, unsafe_ptr)}: {@link #copy_from_kernel_nofault} that
     * zeroes {@code dst} on error, as the BPF helper does.
     *
     * @param dst the destination
     * @param size how many bytes
     * @param unsafe_ptr the kernel address
     * @return 0 or a negative errno
     */
    public static int bpf_probe_read_kernel(byte[] dst, int size, long unsafe_ptr) {
        int ret = KernelBinding.current().copy_from_kernel_nofault(dst, unsafe_ptr, size);
        if (ret < 0) {
            Arrays.fill(dst, 0, Math.min(Math.max(size, 0), dst.length), (byte) 0);
        }
        return ret;
    }

    /**
     * {@code bpf_probe_read_kernel_str(dst, size, unsafe_ptr)}: {@link #strncpy_from_kernel_nofault}
     * that zeroes {@code dst} on error.
     *
     * @param dst the destination
     * @param size its size, including the NUL
     * @param unsafe_ptr the kernel address
     * @return the length including the NUL, or a negative errno
     */
    public static long bpf_probe_read_kernel_str(byte[] dst, int size, long unsafe_ptr) {
        long ret = KernelBinding.current().strncpy_from_kernel_nofault(dst, unsafe_ptr, size);
        if (ret < 0) {
            Arrays.fill(dst, 0, Math.min(Math.max(size, 0), dst.length), (byte) 0);
        }
        return ret;
    }

    /**
     * {@code bpf_core_field_exists(s->member)}: whether the running kernel has a member.
     *
     * @param struct the structure's name, e.g. {@code "task_struct"}
     * @param member the member or dotted path
     * @return true if {@code offsetof} finds it
     */
    public static boolean bpf_core_field_exists(String struct, String member) {
        return KernelBinding.current().offsetof(struct, member) >= 0;
    }

    /**
     * {@code bpf_core_read(&dst, size, &ptr->member)}: one relocated, non-faulting member load.
     *
     * @param ptr the structure's address
     * @param struct its type's name
     * @param member the member or dotted path
     * @param size the member's size: 1, 2, 4 or 8
     * @return the value (zero-extended), or 0 if the address cannot be read or the member does not exist
     */
    public static long bpf_core_read(long ptr, String struct, String member, int size) {
        long off = KernelBinding.current().offsetof(struct, member);
        if (off < 0) {
            return 0;
        }
        return read_kernel_nofault(ptr + off, size).orElse(0);
    }

    // ---------------------------------------------------------------- BPF_CORE_READ chains

    /**
     * {@code BPF_CORE_READ(a, b, c, ...)} for Java: evaluates a chain of structure-view calls with every
     * kernel load made non-faulting. If any load in the chain hits a bad address (a NULL or freed
     * pointer on the way), or a member does not exist in this kernel, the chain stops and the fallback
     * is returned; nothing faults and nothing is logged.
     *
     * <pre>{@code
     * String parentComm = core_read(() -> task.real_parent().comm(), "");
     * }</pre>
     *
     * <p>The chain runs on the calling thread with a kernel binding whose {@code read} is
     * {@code copy_from_kernel_nofault}; other kernel calls inside it behave as usual. Stores inside the
     * chain are not made safe.
     *
     * @param chain the view calls
     * @param fallback the value on failure
     * @param <T> the result type
     * @return the chain's value, or the fallback
     */
    public static <T> T core_read(Supplier<T> chain, T fallback) {
        KernelBinding.Scope nofault = KernelBinding.bind(new NofaultKernel(KernelBinding.current()));
        try {
            return chain.get();
        } catch (NofaultKernel.Abort | NoSuchMemberException e) {
            return fallback;
        } finally {
            nofault.close();
        }
    }

    /**
     * {@link #core_read} for an {@code int} chain, without boxing.
     *
     * @param chain the view calls
     * @param fallback the value on failure
     * @return the chain's value, or the fallback
     */
    public static int core_read_int(IntSupplier chain, int fallback) {
        KernelBinding.Scope nofault = KernelBinding.bind(new NofaultKernel(KernelBinding.current()));
        try {
            return chain.getAsInt();
        } catch (NofaultKernel.Abort | NoSuchMemberException e) {
            return fallback;
        } finally {
            nofault.close();
        }
    }

    /**
     * {@link #core_read} for a {@code long} chain, without boxing.
     *
     * @param chain the view calls
     * @param fallback the value on failure
     * @return the chain's value, or the fallback
     */
    public static long core_read_long(LongSupplier chain, long fallback) {
        KernelBinding.Scope nofault = KernelBinding.bind(new NofaultKernel(KernelBinding.current()));
        try {
            return chain.getAsLong();
        } catch (NofaultKernel.Abort | NoSuchMemberException e) {
            return fallback;
        } finally {
            nofault.close();
        }
    }

    private static long littleEndian(byte[] b, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    /** A kernel whose loads go through {@code copy_from_kernel_nofault} and abort the chain on error. */
    private static final class NofaultKernel extends ForwardingKernelServices {
        /** Unwinds a {@code core_read} chain; stackless and stateless, so one instance serves all threads. */
        static final class Abort extends RuntimeException {
            private static final long serialVersionUID = 1L;
            static final Abort INSTANCE = new Abort();

            private Abort() {
                super("non-faulting load failed", null, false, false);
            }
        }

        NofaultKernel(KernelServices delegate) {
            super(delegate);
        }

        @Override
        public long read(long addr, int size) {
            if (size != 1 && size != 2 && size != 4 && size != 8) {
                throw Abort.INSTANCE;
            }
            byte[] b = new byte[size];
            if (delegate().copy_from_kernel_nofault(b, addr, size) != 0) {
                throw Abort.INSTANCE;
            }
            return littleEndian(b, size);
        }
    }
}
