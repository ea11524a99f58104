package dev.ksim.kernel.printk;

import java.util.concurrent.TimeUnit;

/**
 * A cursor over a {@link LogBuffer}, the state of one open {@code /dev/kmsg} file or one
 * {@code dmesg -w}: the next sequence number to read and how many records were lost to overwriting
 * before this reader got to them.
 *
 * <p>{@link #poll()} skips over lost records and counts them in {@link #lost()}. A {@code /dev/kmsg}
 * implementation that must report the gap as {@code -EPIPE} before the next record can use
 * {@link LogBuffer#read(long)} directly:
 * <pre>{@code
 * LogRecord r = log.read(seq);          // null: -EAGAIN, or block with log.await(...)
 * if (r.seq() != seq) { seq = r.seq(); return -EPIPE; }
 * seq = r.seq() + 1;                    // then format r with KernelLogFormat.devKmsg(r, ...)
 * }</pre>
 *
 * <p>Not thread-safe: one reader belongs to one consumer (the kernel serializes each file's reads
 * with its own mutex); the buffer itself may be written concurrently.
 */
public final class LogReader {
    private final LogBuffer log;
    /** Next sequence number to read; confined to the owning consumer. */
    private long seq;
    /** Records skipped because they were overwritten; confined to the owning consumer. */
    private long lost;

    LogReader(LogBuffer log, long seq) {
        this.log = log;
        this.seq = seq;
    }

    /** @return the sequence number the next read asks for */
    public long seq() {
        return seq;
    }

    /** @return how many records this reader missed because they were overwritten first */
    public long lost() {
        return lost;
    }

    /**
     * Moves to a sequence number.
     *
     * @param seq the next record to read
     */
    public void seek(long seq) {
        this.seq = seq;
    }

    /** {@code lseek(SEEK_SET)}: moves to the oldest stored record. */
    public void seekFirst() {
        seq = log.firstSeq();
    }

    /** {@code lseek(SEEK_DATA)}: moves to the clear point, where {@code dmesg} starts. */
    public void seekClear() {
        seq = log.clearSeq();
    }

    /** {@code lseek(SEEK_END)}: moves past the last record ({@code dmesg -W}). */
    public void seekEnd() {
        seq = log.nextSeq();
    }

    /**
     * Reads the next record without waiting.
     *
     * @return the record, or {@code null} if none is available yet
     */
    public LogRecord poll() {
        return advance(log.read(seq));
    }

    /**
     * Reads the next record, waiting for one up to the timeout.
     *
     * @param timeout how long to wait
     * @param unit its unit
     * @return the record, or {@code null} on timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public LogRecord poll(long timeout, TimeUnit unit) throws InterruptedException {
        return advance(log.await(seq, timeout, unit));
    }

    private LogRecord advance(LogRecord r) {
        if (r != null) {
            lost += r.seq() - seq;
            seq = r.seq() + 1;
        }
        return r;
    }
}
