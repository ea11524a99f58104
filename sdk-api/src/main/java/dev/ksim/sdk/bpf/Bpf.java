package dev.ksim.sdk.bpf;

import dev.ksim.sdk.Maccess;
import dev.ksim.sdk.spi.KernelBinding;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The BPF helpers a kprobe program may call ({@code bpf_helpers.h}, {@code bpf_helper_defs.h},
 * {@code bpf_core_read.h}), with their C names and semantics. Use with
 * {@code import static dev.ksim.sdk.bpf.Bpf.*;}. Every helper goes to the running kernel through its
 * SPI ({@link dev.ksim.sdk.spi.KernelServices}), so a program can be unit-tested against a mock.
 *
 * <p>The loader's verifier accepts calls to these helpers, to map and ring-buffer methods, to the
 * program's own static methods, to the structure views of {@code dev.ksim.sdk.linux} and to side-effect
 * free {@code java.lang} operations; anything else (a sleeping function such as {@code msleep}, any
 * other kernel API) is rejected at load.
 */
public final class Bpf {
    /** {@code BPF_ANY}: create a new element or update an existing one. */
    public static final long BPF_ANY = 0;
    /** {@code BPF_NOEXIST}: create a new element only if it did not exist. */
    public static final long BPF_NOEXIST = 1;
    /** {@code BPF_EXIST}: update an existing element only. */
    public static final long BPF_EXIST = 2;
    /** {@code BPF_RB_NO_WAKEUP}: do not wake the consumer. */
    public static final long BPF_RB_NO_WAKEUP = 1;
    /** {@code BPF_RB_FORCE_WAKEUP}: wake the consumer. */
    public static final long BPF_RB_FORCE_WAKEUP = 2;
    /** {@code TASK_COMM_LEN}. */
    public static final int TASK_COMM_LEN = 16;

    private Bpf() {
    }

    // ---------------------------------------------------------------- tracing output

    /**
     * {@code bpf_printk(fmt, args...)}: {@code bpf_trace_printk} for up to three arguments,
     * {@code bpf_trace_vprintk} for more (at most {@code MAX_BPRINTF_VARARGS}, 12). The line goes to the
     * tracing ring buffer ({@code /sys/kernel/debug/tracing/trace_pipe}) as a {@code bpf_trace_printk}
     * event of the current task and CPU.
     *
     * <p>The format accepts what {@code bpf_bprintf_prepare()} accepts: {@code %d %i %u %x %X} with
     * {@code l}/{@code ll}, {@code %c}, {@code %s}, {@code %p} with {@code K x s S B i4 I4 i6 I6},
     * {@code %%}, flags and widths. Anything else, a missing argument or a character that is not
     * printable ASCII makes the helper return {@code -EINVAL} and print nothing.
     *
     * @param fmt the format
     * @param args the arguments: numbers, strings, characters
     * @return the number of bytes written, or a negative errno
     */
    public static int bpf_printk(String fmt, Object... args) {
        return KernelBinding.current().bpf_trace_printk(fmt, args);
    }

    /**
     * {@code bpf_trace_printk(fmt, fmt_size, arg1, arg2, arg3)}: the helper itself, which takes at most
     * three arguments ({@code MAX_TRACE_PRINTK_VARARGS}).
     *
     * @param fmt the format
     * @param args at most three arguments
     * @return the number of bytes written, or {@code -EINVAL} for more than three arguments or a bad format
     */
    public static int bpf_trace_printk(String fmt, Object... args) {
        if (args.length > 3) {
            return -dev.ksim.sdk.Errno.EINVAL;
        }
        return KernelBinding.current().bpf_trace_printk(fmt, args);
    }

    // ---------------------------------------------------------------- current task, CPU, time

    /** @return {@code bpf_get_current_pid_tgid()}: {@code tgid << 32 | pid} of the current task */
    public static long bpf_get_current_pid_tgid() {
        return KernelBinding.current().bpf_get_current_pid_tgid();
    }

    /** @return {@code bpf_get_current_uid_gid()}: {@code gid << 32 | uid} of the current task */
    public static long bpf_get_current_uid_gid() {
        return KernelBinding.current().bpf_get_current_uid_gid();
    }

    /**
     * {@code bpf_get_current_comm(buf, size)}: copies the current task's name, NUL-terminated.
     *
     * @param buf the destination
     * @param size how many bytes of it to use (usually {@link #TASK_COMM_LEN})
     * @return 0, or {@code -EINVAL} for a bad size (the buffer is then zeroed)
     */
    public static long bpf_get_current_comm(byte[] buf, int size) {
        return KernelBinding.current().bpf_get_current_comm(buf, size);
    }

    /**
     * The current task's name as a string: {@link #bpf_get_current_comm(byte[], int)} into a
     * {@code char comm[TASK_COMM_LEN]}.
     *
     * @return the name, at most 15 characters
     */
    public static String bpf_get_current_comm() {
        byte[] comm = new byte[TASK_COMM_LEN];
        KernelBinding.current().bpf_get_current_comm(comm, TASK_COMM_LEN);
        int n = 0;
        while (n < comm.length && comm[n] != 0) {
            n++;
        }
        return new String(comm, 0, n, StandardCharsets.UTF_8);
    }

    /** @return {@code bpf_get_current_task()}: the current {@code task_struct}'s address */
    public static long bpf_get_current_task() {
        return KernelBinding.current().current_task();
    }

    /** @return {@code bpf_ktime_get_ns()}: the monotonic clock in nanoseconds */
    public static long bpf_ktime_get_ns() {
        return KernelBinding.current().ktime_get_ns();
    }

    /** @return {@code bpf_get_smp_processor_id()}: the CPU the program runs on */
    public static int bpf_get_smp_processor_id() {
        return KernelBinding.current().smp_processor_id();
    }

    /** @return {@code bpf_get_prandom_u32()}: a pseudo-random 32-bit value (0 … 2^32 - 1) */
    public static long bpf_get_prandom_u32() {
        return KernelBinding.current().get_random_u64() & 0xffffffffL;
    }

    // ---------------------------------------------------------------- kernel memory

    /**
     * {@code bpf_probe_read_kernel(dst, size, unsafe_ptr)}.
     *
     * @param dst the destination
     * @param size bytes to read
     * @param unsafe_ptr the kernel address
     * @return 0, or a negative errno ({@code dst} is then zeroed)
     */
    public static long bpf_probe_read_kernel(byte[] dst, int size, long unsafe_ptr) {
        return Maccess.bpf_probe_read_kernel(dst, size, unsafe_ptr);
    }

    /**
     * {@code bpf_probe_read_kernel_str(dst, size, unsafe_ptr)}.
     *
     * @param dst the destination
     * @param size its size including the NUL
     * @param unsafe_ptr the kernel address
     * @return the length including the NUL, or a negative errno ({@code dst} is then zeroed)
     */
    public static long bpf_probe_read_kernel_str(byte[] dst, int size, long unsafe_ptr) {
        return Maccess.bpf_probe_read_kernel_str(dst, size, unsafe_ptr);
    }

    /**
     * {@code BPF_CORE_READ(src, a, b, ...)}: follows a chain of structure-view calls with every load made
     * with {@code bpf_probe_read_kernel}; a bad pointer anywhere on the way gives {@code null} instead
     * of a fault, as the C macro gives zeroes.
     *
     * <pre>{@code
     * // filename = BPF_CORE_READ(name, name);
     * String filename = BPF_CORE_READ(() -> name.name());
     * }</pre>
     *
     * @param chain the view calls
     * @param <T> the result type
     * @return the chain's value, or null if a load failed
     */
    public static <T> T BPF_CORE_READ(Supplier<T> chain) {
        return Maccess.core_read(chain, null);
    }

    /**
     * {@link #BPF_CORE_READ} for an {@code int} chain: {@code BPF_CORE_READ(task, real_parent, tgid)}.
     *
     * @param chain the view calls
     * @return the value, or 0 if a load failed
     */
    public static int BPF_CORE_READ_INT(IntSupplier chain) {
        return Maccess.core_read_int(chain, 0);
    }

    /**
     * {@link #BPF_CORE_READ} for a {@code long} chain.
     *
     * @param chain the view calls
     * @return the value, or 0 if a load failed
     */
    public static long BPF_CORE_READ_LONG(LongSupplier chain) {
        return Maccess.core_read_long(chain, 0);
    }

    // ---------------------------------------------------------------- maps

    /**
     * {@code bpf_map_lookup_elem(map, key)}: the element's value (this CPU's, in a per-CPU map).
     *
     * @param map the map
     * @param key the key
     * @param <K> the key type
     * @param <V> the value type
     * @return the value, or null if there is no such element
     */
    public static <K, V> V bpf_map_lookup_elem(BpfKvMap<K, V> map, K key) {
        return map.lookupElem(key);
    }

    /**
     * {@code bpf_map_update_elem(map, key, value, flags)} (this CPU's value, in a per-CPU map).
     *
     * @param map the map
     * @param key the key
     * @param value the value
     * @param flags {@link #BPF_ANY}, {@link #BPF_NOEXIST} or {@link #BPF_EXIST}
     * @param <K> the key type
     * @param <V> the value type
     * @return 0; {@code -EINVAL} for other flags; {@code -EEXIST}, {@code -ENOENT} as the flags demand;
     *     {@code -E2BIG} for a full hash map or an index past an array
     */
    public static <K, V> long bpf_map_update_elem(BpfKvMap<K, V> map, K key, V value, long flags) {
        return map.updateElem(key, value, flags, false);
    }

    /**
     * {@code bpf_map_delete_elem(map, key)}.
     *
     * @param map the map
     * @param key the key
     * @param <K> the key type
     * @return 0, {@code -ENOENT} if there is no such element, {@code -EINVAL} for an array
     */
    public static <K> long bpf_map_delete_elem(BpfKvMap<K, ?> map, K key) {
        return map.deleteElem(key);
    }

    // ---------------------------------------------------------------- ring buffer

    /**
     * {@code bpf_ringbuf_output(ringbuf, data, size, flags)}: copies a record into the ring buffer.
     *
     * @param ringbuf the ring buffer
     * @param data the record
     * @param flags 0, {@link #BPF_RB_NO_WAKEUP} or {@link #BPF_RB_FORCE_WAKEUP}
     * @param <T> the record type
     * @return 0; {@code -EAGAIN} if it does not fit; {@code -EINVAL} for other flags
     */
    public static <T> long bpf_ringbuf_output(BpfRingBuf<T> ringbuf, T data, long flags) {
        return ringbuf.output(data, flags);
    }

    /**
     * {@code bpf_ringbuf_reserve(ringbuf, size, flags)}: reserves {@code size} bytes for a record.
     *
     * @param ringbuf the ring buffer
     * @param size the record's size in bytes
     * @param flags must be 0
     * @param <T> the record type
     * @return the reservation, or null if it does not fit or flags is not 0
     */
    public static <T> BpfRingBuf.Reservation<T> bpf_ringbuf_reserve(BpfRingBuf<T> ringbuf, long size, long flags) {
        return flags != 0 ? null : ringbuf.reserve(size);
    }

    /**
     * {@code bpf_ringbuf_submit(data, flags)}: makes a reserved record visible to user space.
     *
     * @param data the reservation
     * @param flags 0, {@link #BPF_RB_NO_WAKEUP} or {@link #BPF_RB_FORCE_WAKEUP}
     */
    public static void bpf_ringbuf_submit(BpfRingBuf.Reservation<?> data, long flags) {
        ringOf(data).commit(data, 1);
    }

    /**
     * {@code bpf_ringbuf_discard(data, flags)}: drops a reserved record.
     *
     * @param data the reservation
     * @param flags 0, {@link #BPF_RB_NO_WAKEUP} or {@link #BPF_RB_FORCE_WAKEUP}
     */
    public static void bpf_ringbuf_discard(BpfRingBuf.Reservation<?> data, long flags) {
        ringOf(data).commit(data, 2);
    }

    private static BpfRingBuf<?> ringOf(BpfRingBuf.Reservation<?> r) {
        return r.ring();
    }
}
