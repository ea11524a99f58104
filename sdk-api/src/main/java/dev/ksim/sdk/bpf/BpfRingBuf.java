package dev.ksim.sdk.bpf;

import dev.ksim.sdk.Errno;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code BPF_MAP_TYPE_RINGBUF}: a multi-producer, single-consumer queue of records shared by every CPU,
 * {@code max_entries} bytes large (a power of two and a multiple of the page size). Programs add records
 * with {@link Bpf#bpf_ringbuf_output} or {@link Bpf#bpf_ringbuf_reserve} and
 * {@link Bpf#bpf_ringbuf_submit}; user space takes them in order with {@link #consume(Consumer)}, as
 * libbpf's {@code ring_buffer__consume()} does.
 *
 * <p>Space is accounted as {@code kernel/bpf/ringbuf.c} does: a record of {@code size} bytes takes
 * {@code round_up(size + BPF_RINGBUF_HDR_SZ, 8)} bytes from its reservation until user space consumes it,
 * and a reservation that would make the unconsumed span exceed the buffer fails ({@code NULL} from
 * reserve, {@code -EAGAIN} from output). Records are consumed in reservation order: a record still
 * reserved holds back those after it, as the busy bit does.
 *
 * <pre>{@code
 * @SEC(".maps") static final BpfRingBuf<Event> events = new BpfRingBuf<>(Event.class, 256 * 1024);
 * }</pre>
 *
 * @param <T> the record type
 */
public final class BpfRingBuf<T> extends BpfMap {
    /** {@code BPF_RINGBUF_HDR_SZ}: the header before each record. */
    public static final int BPF_RINGBUF_HDR_SZ = 8;
    /** {@code PAGE_SIZE}. */
    static final int PAGE_SIZE = 4096;

    private final Class<T> type;
    /** Reserved and committed records not yet consumed, oldest first; guarded by {@code this}. */
    private final Deque<Reservation<T>> records = new ArrayDeque<>();
    /** {@code producer_pos} and {@code consumer_pos}, in bytes; guarded by {@code this}. */
    private long producerPos;
    private long consumerPos;

    /**
     * @param type the record type
     * @param maxEntries the buffer's size in bytes
     */
    public BpfRingBuf(Class<T> type, int maxEntries) {
        super(BpfMapType.RINGBUF, maxEntries);
        this.type = Objects.requireNonNull(type, "type");
    }

    @Override
    public int createError() {
        int n = maxEntries();
        return n > 0 && Integer.bitCount(n) == 1 && n % PAGE_SIZE == 0 ? 0 : -Errno.EINVAL;
    }

    @Override
    public int keySize() {
        return 0;
    }

    @Override
    public int valueSize() {
        return 0;
    }

    /** @return the record type */
    public Class<T> recordType() {
        return type;
    }

    /**
     * A record reserved by {@link Bpf#bpf_ringbuf_reserve}: the program sets its value, then submits or
     * discards it. Using it after that is an error, as the verifier forbids using a released reference.
     *
     * @param <T> the record type
     */
    public static final class Reservation<T> {
        private final BpfRingBuf<T> ring;
        private final int len;
        /** Written by the reserving program, read by the consumer after {@link #state} is COMMITTED. */
        private T value;
        /** 0 busy, 1 committed, 2 discarded; guarded by the ring. */
        private int state;

        Reservation(BpfRingBuf<T> ring, int len) {
            this.ring = ring;
            this.len = len;
        }

        /** @return the ring buffer the record belongs to */
        BpfRingBuf<T> ring() {
            return ring;
        }

        /** @param value the record's contents */
        public void set(T value) {
            synchronized (ring) {
                if (state != 0) {
                    throw new IllegalStateException("ring buffer record used after it was released");
                }
                this.value = value;
            }
        }

        /** @return the record's contents so far */
        public T get() {
            synchronized (ring) {
                return value;
            }
        }
    }

    /** {@code __bpf_ringbuf_reserve}: null if the record does not fit. */
    synchronized Reservation<T> reserve(long size) {
        if (size < 0 || size > maxEntries()) {
            return null;
        }
        int len = BpfSizes.roundUp((int) size + BPF_RINGBUF_HDR_SZ, 8);
        if (len > maxEntries() || producerPos + len - consumerPos > maxEntries() - 1) {
            return null;
        }
        Reservation<T> r = new Reservation<>(this, len);
        producerPos += len;
        records.addLast(r);
        return r;
    }

    /** {@code bpf_ringbuf_commit}: marks the record committed (1) or discarded (2). */
    synchronized void commit(Reservation<?> r, int state) {
        if (r.ring != this || r.state != 0) {
            throw new IllegalStateException("ring buffer record submitted or discarded twice");
        }
        r.state = state;
    }

    /** {@code bpf_ringbuf_output}: reserve, copy, commit. */
    int output(T data, long flags) {
        if ((flags & ~(Bpf.BPF_RB_NO_WAKEUP | Bpf.BPF_RB_FORCE_WAKEUP)) != 0) {
            return -Errno.EINVAL;
        }
        if (!type.isInstance(data)) {
            return -Errno.EINVAL;
        }
        Reservation<T> r = reserve(BpfSizes.sizeof(data));
        if (r == null) {
            return -Errno.EAGAIN;
        }
        r.set(data);
        commit(r, 1);
        return 0;
    }

    // ---------------------------------------------------------------- user space

    /**
     * {@code ring_buffer__consume()}: hands every committed record, oldest first, to the callback and
     * frees its space; stops at the first record still reserved. Discarded records are skipped.
     *
     * @param callback receives each record
     * @return how many records it received
     */
    public int consume(Consumer<? super T> callback) {
        int n = 0;
        while (true) {
            T value;
            synchronized (this) {
                Reservation<T> head = records.peekFirst();
                if (head == null || head.state == 0) {
                    return n;
                }
                records.removeFirst();
                consumerPos += head.len;
                if (head.state == 2) {
                    continue;
                }
                value = head.value;
            }
            callback.accept(value);
            n++;
        }
    }

    /** @return {@code BPF_RB_AVAIL_DATA}: bytes reserved or committed and not yet consumed */
    public synchronized long availData() {
        return producerPos - consumerPos;
    }
}
