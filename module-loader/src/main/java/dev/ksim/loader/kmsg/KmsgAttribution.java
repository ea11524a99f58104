package dev.ksim.loader.kmsg;

import dev.ksim.kernel.KernelLog;
import dev.ksim.kernel.printk.LogBuffer;
import dev.ksim.kernel.printk.LogRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.IntSupplier;

/**
 * Which module printed a kernel log record. Module code prints through its module's kernel services,
 * which call {@link #print} around the real printk: while a print is in flight its caller (task or CPU)
 * is marked with the module, and once it returned the records it stored are claimed by sequence number.
 * A console reading a record therefore finds its module whether it runs during the print (on the
 * printing thread) or later (on another thread that took the console over). Records no module printed
 * belong to the kernel.
 */
public final class KmsgAttribution {
    /** The name records of the kernel itself are attributed to. */
    public static final String KERNEL = "kernel";

    private final LogBuffer buffer;
    /** Caller id → module, while that caller is inside a module's printk. */
    private final Map<Integer, String> inflight = new ConcurrentHashMap<>();
    /** Sequence number → module, for records whose print returned; consumed by {@link #moduleOf}. */
    private final ConcurrentSkipListMap<Long, String> claims = new ConcurrentSkipListMap<>();
    private volatile boolean enabled;

    /** @param buffer the kernel's log buffer */
    public KmsgAttribution(LogBuffer buffer) {
        this.buffer = buffer;
    }

    /** Starts attributing (a console that wants to know is attached); before that printing costs nothing extra. */
    public void enable() {
        enabled = true;
    }

    /**
     * Runs a module's printk, attributing what it stores to the module.
     *
     * @param module the module's name
     * @param print the printk
     * @return what the printk returned
     */
    public int print(String module, IntSupplier print) {
        if (!enabled) {
            return print.getAsInt();
        }
        int caller = KernelLog.currentCallerId();
        String outer = inflight.put(caller, module);
        long before = buffer.nextSeq();
        try {
            return print.getAsInt();
        } finally {
            long after = buffer.nextSeq();
            for (long seq = before; seq < after; seq++) {
                LogRecord r = buffer.read(seq);
                if (r != null && r.seq() == seq && r.callerId() == caller) {
                    claims.put(seq, module);
                }
            }
            if (outer == null) {
                inflight.remove(caller);
            } else {
                inflight.put(caller, outer);
            }
        }
    }

    /**
     * The module that printed a record, for a console that reads records in order.
     *
     * @param r a record
     * @return the module's name, or {@link #KERNEL}
     */
    public String moduleOf(LogRecord r) {
        String m = inflight.get(r.callerId());
        String claimed = claims.remove(r.seq());
        claims.headMap(r.seq()).clear();
        if (claimed != null) {
            return claimed;
        }
        return m != null ? m : KERNEL;
    }
}
