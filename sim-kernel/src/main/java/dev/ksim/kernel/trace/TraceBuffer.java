package dev.ksim.kernel.trace;

import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.Task;
import dev.ksim.kernel.fs.PseudoFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * The trace instance's ring buffer: events recorded while {@code tracing_on} is 1, shown by {@code trace}
 * (non-consuming, after the header) and consumed by {@code trace_pipe}. When full, the oldest entries are
 * overwritten, as the ring buffer does in overwrite mode. Thread-safe: every field below is guarded by this,
 * except {@code on}, which is volatile.
 */
public final class TraceBuffer implements PseudoFile.Pipe {
    /**
     * One recorded event.
     *
     * @param comm the task's name
     * @param pid its pid
     * @param cpu the CPU
     * @param flags the flags column
     * @param nanos the time stamp, nanoseconds since boot
     * @param body the event's text ({@code name: (sym+0x0/0x20) arg=…})
     */
    public record Entry(String comm, int pid, int cpu, String flags, long nanos, String body) {
    }

    /** Entries kept before the oldest is overwritten (a 1.4 MB per-CPU buffer holds about as many lines). */
    static final int CAPACITY = 20_000;

    private final Deque<Entry> entries = new ArrayDeque<>();
    private long written;
    /** Bytes of a line {@code trace_pipe} returned only in part. */
    private byte[] partial = new byte[0];
    private volatile boolean on = true;
    private final TraceFormat format;
    private final LongSupplier clock;
    private final int cpus;

    TraceBuffer(TraceFormat format, LongSupplier clock, int cpus) {
        this.format = format;
        this.clock = clock;
        this.cpus = cpus;
    }

    /** @return {@code tracing_on} */
    public boolean isOn() {
        return on;
    }

    /** @param value the new {@code tracing_on} */
    public void setOn(boolean value) {
        on = value;
    }

    /**
     * Records an event of the current context, if tracing is on.
     *
     * @param cpu the CPU it happens on (its interrupt and preemption state make the flags), or null
     * @param task the current task
     * @param body the event's text
     */
    public void record(Cpu cpu, Task task, String body) {
        if (!on) {
            return;
        }
        String comm = task == null ? "<idle>" : task.pid == 0 ? "<idle>" : task.comm();
        Entry e = new Entry(comm, task == null ? 0 : task.pid, cpu == null ? 0 : cpu.id, format.flags(cpu),
                clock.getAsLong(), body);
        synchronized (this) {
            if (entries.size() == CAPACITY) {
                entries.removeFirst();
            }
            entries.addLast(e);
            written++;
            notifyAll();
        }
    }

    /**
     * What {@code bpf_trace_printk()} writes: a {@code bpf_trace_printk: MESSAGE} event of the current task and
     * CPU (one trailing newline of the message is the line's own).
     *
     * @param task the current task
     * @param cpu the current CPU
     * @param message the formatted message
     */
    public void bpfTracePrintk(Task task, Cpu cpu, String message) {
        String m = message.endsWith("\n") ? message.substring(0, message.length() - 1) : message;
        record(cpu, task, "bpf_trace_printk: " + m);
    }

    /** Empties the buffer ({@code echo > trace}). */
    public synchronized void clear() {
        entries.clear();
        written = 0;
        partial = new byte[0];
    }

    /** @return the {@code trace} file: header and every entry, oldest first */
    public String show() {
        Entry[] copy;
        long w;
        synchronized (this) {
            copy = entries.toArray(Entry[]::new);
            w = written;
        }
        StringBuilder b = new StringBuilder(format.header(copy.length, w, cpus));
        for (Entry e : copy) {
            b.append(format.line(e)).append('\n');
        }
        return b.toString();
    }

    /** @return what {@code trace_pipe} has now, consumed, without waiting (the whole-file read of the API) */
    public String drain() {
        return new String(take(Integer.MAX_VALUE), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized byte[] take(int max) {
        StringBuilder b = new StringBuilder();
        int room = max - partial.length;
        while (!entries.isEmpty() && room > 0) {
            String l = format.line(entries.peekFirst()) + "\n";
            int len = l.getBytes(StandardCharsets.UTF_8).length;
            if (len > room && (b.length() > 0 || partial.length > 0)) {
                break;
            }
            entries.removeFirst();
            b.append(l);
            room -= len;
        }
        byte[] lines = b.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[partial.length + lines.length];
        System.arraycopy(partial, 0, all, 0, partial.length);
        System.arraycopy(lines, 0, all, partial.length, lines.length);
        if (all.length > max) {
            partial = Arrays.copyOfRange(all, max, all.length);
            return Arrays.copyOf(all, max);
        }
        partial = new byte[0];
        return all;
    }

    @Override
    public synchronized void awaitData() throws InterruptedException {
        while (entries.isEmpty() && partial.length == 0) {
            wait();
        }
    }
}
