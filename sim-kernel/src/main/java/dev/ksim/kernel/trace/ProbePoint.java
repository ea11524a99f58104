package dev.ksim.kernel.trace;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One probe of a dynamic event ({@code struct trace_kprobe} or {@code struct trace_uprobe}): where it is, how it
 * is armed, and how often it was hit. Several probes may feed one event (appended with the same name).
 */
abstract class ProbePoint {
    /** The event this probe feeds. */
    final ProbeEvent event;
    /** Hits while enabled ({@code tk->nhit}). */
    final AtomicLong nhit = new AtomicLong();
    /** This probe's fetch arguments: the event's names and types, fetched this probe's own way. */
    final List<ProbeArg> args;
    /** Resolved addresses of the {@code @SYM} arguments, by argument index; 0 for others. */
    final long[] symbolAddresses;

    ProbePoint(ProbeEvent event, List<ProbeArg> args) {
        this.event = event;
        this.args = List.copyOf(args);
        this.symbolAddresses = new long[args.size()];
    }

    /** @return the probe's definition as {@code kprobe_events} or {@code uprobe_events} lists it (no newline) */
    abstract String definition();

    /** @return the location part of the definition, to find a probe the same as another */
    abstract String location();

    /** Registers the probe with its subsystem, disarmed. @return 0 or a negative errno */
    abstract int register();

    /** Arms the probe: the event was enabled. @return 0 or a negative errno */
    abstract int arm();

    /** Disarms the probe: the event was disabled. */
    abstract void disarm();

    /** Removes the probe from the kernel (unregisters it). */
    abstract void release();

    /** @return the misses for {@code kprobe_profile} (0 for uprobes, which have no such column) */
    abstract long misses();

    /** @return the {@code kprobe_profile} or {@code uprobe_profile} line */
    abstract String profileLine();
}
