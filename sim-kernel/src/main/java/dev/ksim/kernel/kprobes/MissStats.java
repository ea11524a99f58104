package dev.ksim.kernel.kprobes;

import java.util.concurrent.atomic.LongAdder;

/**
 * How often a probe's handlers ran, and why they did not run beyond the kernel's single {@code nmissed}
 * counter: a hit while another handler ran on the CPU (recursion), a kretprobe call with no free instance, or a hit on an
 * address shared with other probes while this one was disabled.
 */
public final class MissStats {
    /** Counted on every hit, so per CPU without an atomic instruction (a miss is rare: LongAdders do). */
    final PerCpuCounter hits;
    final LongAdder recursion = new LongAdder();
    final LongAdder noInstance = new LongAdder();
    final LongAdder disabled = new LongAdder();

    MissStats(int nrCpus) {
        this.hits = new PerCpuCounter(nrCpus);
    }

    /** @return hits whose handlers ran (for a kretprobe: calls that reached its entry) */
    public long hits() {
        return hits.sum();
    }

    /** @return hits skipped because a handler was already running on the CPU */
    public long recursion() {
        return recursion.sum();
    }

    /** @return kretprobe calls not tracked because every instance was in use */
    public long noInstance() {
        return noInstance.sum();
    }

    /** @return hits at the probe's address while it was disabled (others there were enabled) */
    public long disabled() {
        return disabled.sum();
    }
}
