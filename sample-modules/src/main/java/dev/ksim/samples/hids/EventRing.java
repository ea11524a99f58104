// SPDX-License-Identifier: GPL-2.0
package dev.ksim.samples.hids;

import static dev.ksim.sdk.Kernel.spin_lock_irqsave;
import static dev.ksim.sdk.Kernel.spin_unlock_irqrestore;

import dev.ksim.sdk.Spinlock;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded ring of events between probe handlers (producers, on any CPU, in atomic context) and a reader
 * that drains it. When it is full a new event is dropped and counted, as a perf ring buffer counts lost
 * samples: the reader sees the gap in {@link #counts()} instead of the kernel blocking or allocating.
 */
final class EventRing {
    /** Guards every field below; taken with IRQs off, as handlers run with them off. */
    private final Spinlock lock = new Spinlock();
    private final ExecEvent[] slots;
    private int head;
    private int size;
    private long produced;
    private long dropped;

    /** @param capacity how many events it holds, at least 1 */
    EventRing(int capacity) {
        slots = new ExecEvent[capacity];
    }

    /**
     * Adds an event, or drops it if the ring is full.
     *
     * @param e the event
     * @return false if it was dropped
     */
    boolean push(ExecEvent e) {
        long flags = spin_lock_irqsave(lock);
        try {
            produced++;
            if (size == slots.length) {
                dropped++;
                return false;
            }
            slots[(head + size) % slots.length] = e;
            size++;
            return true;
        } finally {
            spin_unlock_irqrestore(lock, flags);
        }
    }

    /** @return the events in the ring, oldest first; the ring is then empty */
    List<ExecEvent> drain() {
        long flags = spin_lock_irqsave(lock);
        try {
            List<ExecEvent> out = new ArrayList<>(size);
            for (; size > 0; size--) {
                out.add(slots[head]);
                slots[head] = null;
                head = (head + 1) % slots.length;
            }
            return out;
        } finally {
            spin_unlock_irqrestore(lock, flags);
        }
    }

    /**
     * The ring's counters, read together.
     *
     * @param produced events offered since load, dropped or not
     * @param dropped events dropped because the ring was full
     */
    record Counts(long produced, long dropped) {
    }

    /** @return the counters, as of one moment */
    Counts counts() {
        long flags = spin_lock_irqsave(lock);
        try {
            return new Counts(produced, dropped);
        } finally {
            spin_unlock_irqrestore(lock, flags);
        }
    }
}
