package dev.ksim.kernel.printk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The printk ring buffer ({@code kernel/printk/printk_ringbuffer.c}): a bounded log of
 * {@link LogRecord}s numbered by sequence, what {@code dmesg}, {@code /dev/kmsg} and
 * {@code syslog(2)} read.
 *
 * <h2>Capacity</h2>
 * Like the kernel's ring it is bounded twice: by {@code 2^shift} bytes of text
 * ({@code CONFIG_LOG_BUF_SHIFT}, default 17 = 128 KiB) and by {@code 2^(shift-5)} records (the
 * descriptor ring, sized for 32-byte average messages). Space is accounted as the kernel's data
 * ring does: each record takes an 8-byte-aligned block of {@code 8 + reserved size} bytes, where the
 * reserved size is the formatted length plus one, capped at 1024; a block never wraps, so the tail
 * end of the array is wasted when one does not fit. Characters count as bytes (exact for ASCII).
 * When a new record needs room, the oldest records are overwritten; readers that fell behind then
 * see a jump in sequence numbers and count the gap as lost, as {@code /dev/kmsg}'s {@code EPIPE}.
 *
 * <h2>Storage</h2>
 * As in the kernel, both rings are preallocated and storing allocates nothing: the text is copied
 * into a character array of {@code 2^shift} entries at its block's position (a character per byte of
 * the accounting above), and the record's fields into the descriptor arrays. A {@link LogRecord},
 * with its text as a {@code String}, is made only when a reader or listener asks for one, so each
 * read returns a new, equal, instance.
 *
 * <h2>Finalization</h2>
 * A record stored without a trailing newline stays open: the same caller may extend it with a
 * {@code KERN_CONT} fragment. An open record is invisible to readers and listeners until it is
 * finalized, by a newline or by the next record anyone stores, as in the kernel since 5.10 (so a
 * message printed without a newline shows up in {@code dmesg} only once something else is printed).
 *
 * <h2>Threads</h2>
 * Any number of threads (simulated CPUs) may print concurrently; all ring state is guarded by one
 * lock, held only for a few field updates per record. Reads take the same lock briefly. Listeners are
 * called outside it, by whichever printing thread wins the separate console lock, which delivers every
 * pending record in order (the kernel's {@code console_unlock()} hand-over).
 */
public final class LogBuffer {

    /** {@code CONFIG_LOG_BUF_SHIFT}'s default: a 128 KiB buffer. */
    public static final int DEFAULT_LOG_BUF_SHIFT = 17;
    /** Smallest accepted shift (Kconfig's range starts at 12: 4 KiB). */
    public static final int MIN_LOG_BUF_SHIFT = 12;
    /** Largest accepted shift (Kconfig's range ends at 25: 32 MiB). */
    public static final int MAX_LOG_BUF_SHIFT = 25;
    /** {@code PRINTKRB_RECORD_MAX}: most text bytes one record may reserve, NUL included. */
    public static final int RECORD_MAX = 1024;
    /** {@code PRB_AVGBITS}: the descriptor ring has {@code 2^(shift - 5)} entries. */
    static final int PRB_AVGBITS = 5;
    /** Size of a data block's id header ({@code sizeof(unsigned long)}). */
    private static final int BLOCK_ID_SIZE = 8;

    private final int sizeBits;
    private final long dataSize;
    private final int descCount;
    private final int descMask;

    /** Guards every field below up to the console section, and {@link #published}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled (under {@link #lock}) whenever records become visible. */
    private final Condition published = lock.newCondition();

    /**
     * The data ring: each record's text lives in its block, {@value #BLOCK_ID_SIZE} characters after the
     * block's start, or at the array's start plus that if the block wraps ({@link #textOffset}). Text is
     * copied in when a record is stored and out (into a {@link LogRecord}) only when it is read.
     */
    private final char[] data;
    /**
     * The descriptor ring, by {@code seq & descMask}: each stored record's {@code printk_info} fields and
     * text length. Entries from {@link #tailSeq} to {@link #headSeq} are valid, the open record's included.
     */
    private final long[] descTs;
    private final int[] descFacility;
    private final int[] descLevel;
    private final int[] descFlags;
    private final int[] descCaller;
    private final int[] descTextLen;
    /** Data-ring block of each record: begin and next logical positions, by {@code seq & descMask}. */
    private final long[] blockBegin;
    private final long[] blockNext;
    /** Oldest record still stored. Invariant: {@code tailSeq <= headSeq}, {@code headSeq - tailSeq <= descCount}. */
    private long tailSeq;
    /** Sequence number the next new record gets. */
    private long headSeq;
    /** Next free logical position in the data ring; {@code headLpos - blockBegin[tail] <= dataSize}. */
    private long headLpos;
    /** Whether record {@code headSeq - 1} is committed but not finalized (then it is never evicted). */
    private boolean open;
    /** {@code clear_seq}: first record {@code dmesg} shows after {@code dmesg -C}/{@code -c}. */
    private long clearSeq;

    /** {@code headSeq - (open ? 1 : 0)}: end of the visible records; written under {@link #lock}, read anywhere. */
    private volatile long visibleEnd;

    /** Serializes listener delivery ({@code console_lock}); guards every {@link Registration#seq}. */
    private final ReentrantLock consoleLock = new ReentrantLock();
    /** Registered listeners; copy-on-write, replaced under {@link #consoleLock}. */
    private volatile Registration[] listeners = new Registration[0];

    /** A buffer of the default size, 128 KiB (4096 records). */
    public LogBuffer() {
        this(DEFAULT_LOG_BUF_SHIFT);
    }

    /**
     * A buffer of {@code 2^logBufShift} bytes and {@code 2^(logBufShift - 5)} records.
     *
     * @param logBufShift {@code CONFIG_LOG_BUF_SHIFT}, {@value #MIN_LOG_BUF_SHIFT}..{@value #MAX_LOG_BUF_SHIFT}
     * @throws IllegalArgumentException if out of range
     */
    public LogBuffer(int logBufShift) {
        if (logBufShift < MIN_LOG_BUF_SHIFT || logBufShift > MAX_LOG_BUF_SHIFT) {
            throw new IllegalArgumentException("CONFIG_LOG_BUF_SHIFT must be " + MIN_LOG_BUF_SHIFT + ".."
                    + MAX_LOG_BUF_SHIFT + ": " + logBufShift);
        }
        sizeBits = logBufShift;
        dataSize = 1L << logBufShift;
        descCount = 1 << (logBufShift - PRB_AVGBITS);
        descMask = descCount - 1;
        data = new char[(int) dataSize];
        descTs = new long[descCount];
        descFacility = new int[descCount];
        descLevel = new int[descCount];
        descFlags = new int[descCount];
        descCaller = new int[descCount];
        descTextLen = new int[descCount];
        blockBegin = new long[descCount];
        blockNext = new long[descCount];
    }

    /** @return {@code log_buf_len}: the text capacity in bytes ({@code SYSLOG_ACTION_SIZE_BUFFER}) */
    public int size() {
        return (int) dataSize;
    }

    /** @return the most records the buffer holds at once (its descriptor count) */
    public int maxRecords() {
        return descCount;
    }

    // ------------------------------------------------------------------ writing (Printk only)

    /**
     * Stores one printk: appends it to the open record when it is a continuation of the same caller
     * that still fits ({@code prb_reserve_in_last()}), else creates a new record
     * ({@code prb_reserve()}), which finalizes any open one. Then delivers to listeners. The text is
     * copied into the data ring; nothing is allocated.
     *
     * @param ts timestamp, ns since boot
     * @param facility syslog facility
     * @param level log level 0..7
     * @param flags {@link LogRecord#LOG_CONT} to try merging, {@link LogRecord#LOG_NEWLINE} to finalize
     * @param callerId {@link CallerInfo#callerId()}
     * @param text holds the stripped text
     * @param from where it starts in {@code text}
     * @param len its length; less than {@code reserveSize}
     * @param reserveSize the kernel's {@code reserve_size}: formatted length + 1, at most {@link #RECORD_MAX}
     * @return {@code true} if the text was merged into the previous record
     */
    boolean store(long ts, int facility, int level, int flags, int callerId, char[] text, int from, int len,
            int reserveSize) {
        if (len >= reserveSize || reserveSize > RECORD_MAX) {
            throw badReservation(len, reserveSize);
        }
        boolean merged;
        lock.lock();
        try {
            merged = (flags & LogRecord.LOG_CONT) != 0 && tryExtendOpen(callerId, text, from, len, reserveSize,
                    (flags & LogRecord.LOG_NEWLINE) != 0);
            if (!merged) {
                append(ts, facility, level, flags, callerId, text, from, len, reserveSize);
            }
        } finally {
            lock.unlock();
        }
        deliver();
        return merged;
    }

    /** Out of line, so the store's compiled code stays small. */
    private static IllegalArgumentException badReservation(int len, int reserveSize) {
        return new IllegalArgumentException("text of " + len + " characters in a reservation of " + reserveSize);
    }

    /**
     * {@link #store(long, int, int, int, int, char[], int, int, int)} of a whole string.
     *
     * @param ts timestamp, ns since boot
     * @param facility syslog facility
     * @param level log level 0..7
     * @param flags the flags
     * @param callerId the caller id
     * @param text the stripped text
     * @param reserveSize the kernel's {@code reserve_size}
     * @return {@code true} if the text was merged into the previous record
     */
    boolean store(long ts, int facility, int level, int flags, int callerId, String text, int reserveSize) {
        return store(ts, facility, level, flags, callerId, text.toCharArray(), 0, text.length(), reserveSize);
    }

    /** {@code prb_reserve_in_last()} + commit. Caller holds {@link #lock}. */
    private boolean tryExtendOpen(int callerId, char[] text, int from, int len, int reserveSize, boolean newline) {
        int idx = (int) ((headSeq - 1) & descMask);
        if (!open || descCaller[idx] != callerId) {
            return false;
        }
        int openLen = descTextLen[idx];
        int newSize = openLen + reserveSize;
        if (newSize > RECORD_MAX || !fits(newSize)) {
            return false;
        }
        long begin = blockBegin[idx];
        long next = nextLpos(begin, blockSize(newSize));
        if (next > headLpos) { // the block grows (data_realloc)
            long required = next - dataSize;
            if (begin < required) {
                return false; // would have to overwrite the record being extended
            }
            pushTail(required);
            int oldOffset = textOffset(begin, blockNext[idx]);
            int newOffset = textOffset(begin, next);
            if (newOffset != oldOffset) { // the grown block wraps: its data moves to the array's start
                System.arraycopy(data, oldOffset, data, newOffset, openLen);
            }
            headLpos = next;
            blockNext[idx] = next;
        }
        System.arraycopy(text, from, data, textOffset(begin, blockNext[idx]) + openLen, len);
        descTextLen[idx] = openLen + len;
        if (newline) {
            descFlags[idx] |= LogRecord.LOG_NEWLINE;
            open = false;
            publish();
        }
        return true;
    }

    /** {@code prb_reserve()} + commit of a new record. Caller holds {@link #lock}. */
    private void append(long ts, int facility, int level, int flags, int callerId, char[] text, int from, int len,
            int reserveSize) {
        open = false; // a new record finalizes the open one: visible from the publish() below on
        if (headSeq - tailSeq == descCount) {
            evictTail();
        }
        long seq = headSeq;
        int idx = (int) (seq & descMask);
        int size = blockSize(reserveSize); // fits: RECORD_MAX's block is far below the smallest ring
        long begin = headLpos;
        long next = nextLpos(begin, size);
        pushTail(next - dataSize);
        headLpos = next;
        blockBegin[idx] = begin;
        blockNext[idx] = next;
        headSeq = seq + 1;
        descTs[idx] = ts;
        descFacility[idx] = facility;
        descLevel[idx] = level;
        descFlags[idx] = flags;
        descCaller[idx] = callerId;
        descTextLen[idx] = len;
        System.arraycopy(text, from, data, textOffset(begin, next), len);
        open = (flags & LogRecord.LOG_NEWLINE) == 0;
        publish();
    }

    /**
     * {@code get_data()}: where a block's text starts in {@link #data}. A block that wraps keeps its data
     * at the array's start.
     */
    private int textOffset(long begin, long next) {
        long at = (begin >>> sizeBits) == (next >>> sizeBits) ? begin & (dataSize - 1) : 0;
        return (int) at + BLOCK_ID_SIZE;
    }

    /**
     * The record at {@code seq} as readers get it, its text copied out of the data ring. Caller holds
     * {@link #lock}; {@code tailSeq <= seq < visibleEnd}.
     */
    private LogRecord recordAt(long seq) {
        int idx = (int) (seq & descMask);
        String text = new String(data, textOffset(blockBegin[idx], blockNext[idx]), descTextLen[idx]);
        return new LogRecord(seq, descTs[idx], descFacility[idx], descLevel[idx], descFlags[idx], descCaller[idx],
                text);
    }

    /** Updates {@link #visibleEnd} and wakes blocked readers. Caller holds {@link #lock}. */
    private void publish() {
        visibleEnd = open ? headSeq - 1 : headSeq;
        published.signalAll();
    }

    /** {@code data_push_tail()}: drops the oldest records until no block begins before {@code lpos}. */
    private void pushTail(long lpos) {
        while (tailSeq < headSeq && blockBegin[(int) (tailSeq & descMask)] < lpos) {
            evictTail();
        }
    }

    /** Drops the oldest record (never the open one: callers finalize or stop before it). */
    private void evictTail() {
        tailSeq++;
    }

    /** {@code get_next_lpos()}: a block that would cross the end of the array starts at its beginning. */
    private long nextLpos(long lpos, int size) {
        long next = lpos + size;
        if ((lpos >>> sizeBits) == (next >>> sizeBits)) {
            return next;
        }
        return (next & -dataSize) + size;
    }

    /** {@code to_blk_size()}: id header plus data, aligned to 8. */
    private static int blockSize(int dataBytes) {
        return (dataBytes + BLOCK_ID_SIZE + 7) & ~7;
    }

    /** {@code data_check_size()}. */
    private boolean fits(int dataBytes) {
        return blockSize(dataBytes) <= dataSize - BLOCK_ID_SIZE;
    }

    // ------------------------------------------------------------------ reading

    /** @return the oldest stored record's sequence number ({@code prb_first_valid_seq()}) */
    public long firstSeq() {
        lock.lock();
        try {
            return tailSeq;
        } finally {
            lock.unlock();
        }
    }

    /** @return the sequence number after the last visible record ({@code prb_next_seq()}) */
    public long nextSeq() {
        return visibleEnd;
    }

    /** @return {@code clear_seq}: where {@code dmesg} starts after a clear (may precede {@link #firstSeq()}) */
    public long clearSeq() {
        lock.lock();
        try {
            return clearSeq;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code prb_read_valid()}: the first visible record whose sequence number is {@code >= seq}.
     * If the result's {@link LogRecord#seq()} is greater than {@code seq}, the records in between
     * were overwritten: {@code /dev/kmsg}'s read returns {@code -EPIPE} once and moves on.
     *
     * @param seq the wanted sequence number
     * @return the record, or {@code null} if there is none yet
     */
    public LogRecord read(long seq) {
        lock.lock();
        try {
            return readLocked(seq);
        } finally {
            lock.unlock();
        }
    }

    private LogRecord readLocked(long seq) {
        long s = Math.max(seq, tailSeq);
        return s < visibleEnd ? recordAt(s) : null;
    }

    /**
     * Like {@link #read(long)}, but waits up to the timeout for such a record ({@code dmesg -w}).
     *
     * @param seq the wanted sequence number
     * @param timeout how long to wait
     * @param unit its unit
     * @return the record, or {@code null} on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public LogRecord await(long seq, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (true) {
                LogRecord r = readLocked(seq);
                if (r != null || nanos <= 0) {
                    return r;
                }
                nanos = published.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * All visible records from {@code fromSeq} (or the oldest stored, if later) on.
     *
     * @param fromSeq the first sequence number wanted
     * @return the records in order; a new list
     */
    public List<LogRecord> records(long fromSeq) {
        lock.lock();
        try {
            return recordsLocked(fromSeq);
        } finally {
            lock.unlock();
        }
    }

    private List<LogRecord> recordsLocked(long fromSeq) {
        long from = Math.max(fromSeq, tailSeq);
        long end = visibleEnd;
        List<LogRecord> out = new ArrayList<>((int) Math.max(0, end - from));
        for (long s = from; s < end; s++) {
            out.add(recordAt(s));
        }
        return out;
    }

    /** @return what {@code dmesg} shows: the visible records from the clear point on ({@code SYSLOG_ACTION_READ_ALL}) */
    public List<LogRecord> readAll() {
        return records(clearSeq());
    }

    /**
     * {@code dmesg -c} ({@code SYSLOG_ACTION_READ_CLEAR}): {@link #readAll()}, then moves the clear
     * point past the returned records, atomically.
     *
     * @return the records
     */
    public List<LogRecord> readAndClear() {
        lock.lock();
        try {
            List<LogRecord> out = recordsLocked(clearSeq);
            clearSeq = visibleEnd;
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code dmesg -C} ({@code SYSLOG_ACTION_CLEAR}): moves the clear point to {@link #nextSeq()}.
     * Records are kept: {@code /dev/kmsg} readers from the start still see them.
     */
    public void clear() {
        lock.lock();
        try {
            clearSeq = visibleEnd;
        } finally {
            lock.unlock();
        }
    }

    /**
     * A reader positioned at the oldest stored record, as a fresh {@code open("/dev/kmsg")}.
     *
     * @return the reader; owned by one consumer
     */
    public LogReader reader() {
        return new LogReader(this, firstSeq());
    }

    // ------------------------------------------------------------------ listeners (consoles)

    /**
     * Registers a listener.
     *
     * @param listener the listener
     * @param replay {@code true} to be given the records already stored first (a console with
     *        {@code CON_PRINTBUFFER}), {@code false} to start with the next one
     */
    public void addListener(LogListener listener, boolean replay) {
        consoleLock.lock();
        try {
            Registration[] old = listeners;
            Registration[] regs = Arrays.copyOf(old, old.length + 1);
            regs[old.length] = new Registration(listener, replay ? firstSeq() : visibleEnd);
            listeners = regs;
        } finally {
            consoleLock.unlock();
        }
        deliver();
    }

    /**
     * Unregisters a listener; it gets no further calls once this returns.
     *
     * @param listener the listener
     * @return whether it was registered
     */
    public boolean removeListener(LogListener listener) {
        consoleLock.lock();
        try {
            Registration[] old = listeners;
            for (int k = 0; k < old.length; k++) {
                if (old[k].listener == listener) {
                    Registration[] regs = new Registration[old.length - 1];
                    System.arraycopy(old, 0, regs, 0, k);
                    System.arraycopy(old, k + 1, regs, k, old.length - k - 1);
                    listeners = regs;
                    return true;
                }
            }
            return false;
        } finally {
            consoleLock.unlock();
        }
    }

    /**
     * Delivers pending records to listeners if this thread can take the console lock; a thread that
     * cannot leaves them to the holder, which re-checks after releasing it (no record is stranded).
     * A listener that prints does not recurse: its records are picked up by the running loop.
     */
    private void deliver() {
        while (hasPending()) {
            if (consoleLock.isHeldByCurrentThread() || !consoleLock.tryLock()) {
                return;
            }
            try {
                for (Registration reg : listeners) {
                    LogRecord r;
                    while ((r = read(reg.seq)) != null) {
                        try {
                            if (r.seq() != reg.seq) {
                                reg.listener.onDropped(r.seq() - reg.seq);
                            }
                            reg.seq = r.seq() + 1;
                            reg.listener.onRecord(r);
                        } catch (RuntimeException e) {
                            // A failing listener must not break printk for its caller; it keeps its place.
                            reg.seq = r.seq() + 1;
                        }
                    }
                }
            } finally {
                consoleLock.unlock();
            }
        }
    }

    private boolean hasPending() {
        long end = visibleEnd;
        for (Registration reg : listeners) {
            if (reg.seq < end) {
                return true;
            }
        }
        return false;
    }

    /** A listener and the next sequence number it is owed. */
    private static final class Registration {
        final LogListener listener;
        /** Guarded by {@link #consoleLock}; volatile so {@link #hasPending()} may peek without it. */
        volatile long seq;

        Registration(LogListener listener, long seq) {
            this.listener = listener;
            this.seq = seq;
        }
    }
}
