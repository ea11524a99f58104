package dev.ksim.loader.bpf;

import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A loaded program: what {@code bpftool prog list} shows of it, and the kprobe or kretprobe it is
 * attached through.
 */
public final class BpfProgram {
    private final int id;
    private final String name;
    private final String section;
    private final String target;
    private final long offset;
    private final boolean retprobe;
    private final String tag;
    private final int insns;
    private final boolean gpl;
    private final Instant loadedAt;
    private final List<Integer> mapIds;
    final ProgramArgs args;
    /** The probe the program runs from; set once when it is attached. */
    volatile Kprobe kprobe;
    volatile Kretprobe kretprobe;
    /** {@code run_cnt}: how many times the program ran. */
    final LongAdder runs = new LongAdder();
    /** {@code recursion_misses}: hits skipped because a program already ran on the CPU. */
    final LongAdder recursionMisses = new LongAdder();

    BpfProgram(int id, String name, String section, String target, long offset, boolean retprobe, String tag, int insns,
            boolean gpl, Instant loadedAt, List<Integer> mapIds, ProgramArgs args) {
        this.id = id;
        this.name = name;
        this.section = section;
        this.target = target;
        this.offset = offset;
        this.retprobe = retprobe;
        this.tag = tag;
        this.insns = insns;
        this.gpl = gpl;
        this.loadedAt = loadedAt;
        this.mapIds = List.copyOf(mapIds);
        this.args = args;
    }

    /** @return the program id */
    public int id() {
        return id;
    }

    /** @return the program's name (its method's, cut to 15 characters) */
    public String name() {
        return name;
    }

    /** @return its section, e.g. {@code kprobe/do_unlinkat} */
    public String section() {
        return section;
    }

    /** @return the probed function */
    public String target() {
        return target;
    }

    /** @return the offset into the function (kprobes only) */
    public long offset() {
        return offset;
    }

    /** @return true for a kretprobe program */
    public boolean retprobe() {
        return retprobe;
    }

    /** @return the program's tag: 16 hex digits of a hash of its code */
    public String tag() {
        return tag;
    }

    /** @return its size in instructions */
    public int insns() {
        return insns;
    }

    /** @return whether its license is GPL-compatible */
    public boolean gpl() {
        return gpl;
    }

    /** @return when it was loaded */
    public Instant loadedAt() {
        return loadedAt;
    }

    /** @return the ids of the maps it uses (all of its object's maps) */
    public List<Integer> mapIds() {
        return mapIds;
    }

    /** @return {@code run_cnt} */
    public long runCount() {
        return runs.sum();
    }

    /** @return {@code recursion_misses} */
    public long recursionMisses() {
        return recursionMisses.sum();
    }

    /** @return the attached probe's {@code nmissed} (for a kretprobe, the instances it could not track) */
    public long nmissed() {
        Kretprobe rp = kretprobe;
        if (rp != null) {
            return rp.nmissed + rp.kp.nmissed;
        }
        Kprobe kp = kprobe;
        return kp == null ? 0 : kp.nmissed;
    }
}
