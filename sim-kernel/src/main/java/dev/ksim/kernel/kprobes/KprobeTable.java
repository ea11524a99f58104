package dev.ksim.kernel.kprobes;

import dev.ksim.kernel.text.KFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code kprobe_table}: 64 hash buckets ({@code KPROBE_HASH_BITS} = 6) of probe points, indexed by
 * {@code hash_ptr(addr, 6)}.
 *
 * <p>Two ways in, as in the kernel: insertion and removal under kprobe_mutex; traversal either under
 * kprobe_mutex or lock-free from a breakpoint handler (RCU: a removed point stays traversable, and is
 * freed only after a grace period).
 */
final class KprobeTable {
    static final int KPROBE_HASH_BITS = 6;
    static final int KPROBE_TABLE_SIZE = 1 << KPROBE_HASH_BITS;
    private static final long GOLDEN_RATIO_64 = 0x61C8864680B583EBL;

    private final AtomicReferenceArray<ProbePoint> buckets = new AtomicReferenceArray<>(KPROBE_TABLE_SIZE);

    /** {@code hash_ptr(addr, KPROBE_HASH_BITS)} on 64-bit: {@code hash_64}. */
    static int hash(long addr) {
        return (int) ((addr * GOLDEN_RATIO_64) >>> (64 - KPROBE_HASH_BITS));
    }

    /** {@code get_kprobe}: under kprobe_mutex or RCU. @param addr address @return its point, or null */
    ProbePoint get(long addr) {
        for (ProbePoint p = buckets.get(hash(addr)); p != null; p = p.next) {
            if (p.addr == addr) {
                return p;
            }
        }
        return null;
    }

    /**
     * {@code get_kprobe} from a breakpoint handler: a function's entry point is read from the function
     * ({@link KFunction#entryTrapData}, kept in step with the table), any other through the table.
     *
     * @param f the function trapping
     * @param i the trapping instruction's index in f
     * @param addr its address
     * @return its point, or null
     */
    ProbePoint get(KFunction f, int i, long addr) {
        if (i == 0 && f.entryTrapData instanceof ProbePoint p) {
            return p;
        }
        return get(addr);
    }

    /** {@code hlist_add_head_rcu}; caller holds kprobe_mutex. @param p the new point */
    void add(ProbePoint p) {
        int h = hash(p.addr);
        p.next = buckets.get(h);
        buckets.set(h, p);
        setEntry(p, p);
    }

    /** Keeps a function's entry point in step with the table. */
    private static void setEntry(ProbePoint at, ProbePoint p) {
        if (at.insnIndex == 0 && at.fn != null) {
            at.fn.entryTrapData = p;
        }
    }

    /** {@code hlist_replace_rcu}; caller holds kprobe_mutex. @param old replaced @param p replacement */
    void replace(ProbePoint old, ProbePoint p) {
        int h = hash(old.addr);
        p.next = old.next;
        setEntry(old, p);
        if (buckets.get(h) == old) {
            buckets.set(h, p);
            return;
        }
        for (ProbePoint q = buckets.get(h); q != null; q = q.next) {
            if (q.next == old) {
                q.next = p;
                return;
            }
        }
    }

    /**
     * {@code hlist_del_rcu}; caller holds kprobe_mutex. The removed point keeps its {@code next}, so a
     * reader standing on it can go on.
     *
     * @param p the point to remove
     */
    void remove(ProbePoint p) {
        if (p.insnIndex == 0 && p.fn != null && p.fn.entryTrapData == p) {
            p.fn.entryTrapData = null;
        }
        int h = hash(p.addr);
        if (buckets.get(h) == p) {
            buckets.set(h, p.next);
            return;
        }
        for (ProbePoint q = buckets.get(h); q != null; q = q.next) {
            if (q.next == p) {
                q.next = p.next;
                return;
            }
        }
    }

    /** @return every point, bucket 0 to 63, each bucket head first (the debugfs list order) */
    List<ProbePoint> all() {
        List<ProbePoint> out = new ArrayList<>();
        for (int i = 0; i < KPROBE_TABLE_SIZE; i++) {
            for (ProbePoint p = buckets.get(i); p != null; p = p.next) {
                out.add(p);
            }
        }
        return out;
    }
}
