package dev.ksim.kernel.kprobes;

import dev.ksim.kernel.text.Insn;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.sdk.Kprobe;

/**
 * One probed address in the kprobe hash table: the kprobe registered there ({@link #kp}: the user's
 * own struct, or an aggregator once several share the address), the instruction it replaced and the
 * slot the instruction is stepped in.
 *
 * <p>Written under kprobe_mutex; read by breakpoint handlers under RCU (no lock).
 */
final class ProbePoint {
    /** The probed address. */
    final long addr;
    /** The function containing it and the instruction's index there. */
    final KFunction fn;
    final int insnIndex;
    /** The instruction at {@link #addr}; null when addr is not on an instruction boundary. */
    final Insn insn;
    /** Whether the instruction is stepped in its slot and execution continues right after it. */
    final boolean fallsThrough;
    /** Whether the instruction is a call (arm64's step sets the link register). */
    final boolean isCall;
    /** The address right after the instruction (where a stepped one that falls through continues). */
    final long nextAddr;
    /** The kprobe in the hash table: a user probe, or the aggregator of {@link #children}. */
    final Kprobe kp;
    /**
     * When {@link #kp} is a kretprobe's entry probe, its instance pool: the breakpoint handler takes an
     * instance from it first thing, two loads from the function instead of five (kp, its pre_handler, the
     * holder, then the pool), so the compare-and-set that takes it waits on a shorter chain. Null otherwise.
     */
    final InstancePool kretPool;
    /** A lone probe's statistics (its hits are counted on the hit path); null for an aggregator. */
    final MissStats stats;
    /** The slots of {@link #stats}' hit counter, or null. */
    final long[] hits;
    /**
     * For an aggregator: {@link #children} with each one's statistics, published together after the array
     * (so the hit path counts a child's hits without a lookup); guarded like {@link #children}.
     */
    volatile ChildStats childStats;

    /** An aggregator's children array and their statistics, index for index. */
    record ChildStats(Kprobe[] probes, MissStats[] stats) {
    }

    /** For an aggregator: its probes, newest first (copy-on-write); {@code null} for a lone probe. */
    volatile Kprobe[] children;
    /** The original instruction bytes (x86: first byte; arm64: the word). */
    int opcode;
    /** Address of the instruction slot, 0 for instructions that are emulated. */
    long slot;
    /** Whether the breakpoint is written into text now; guarded by kprobe_mutex. */
    boolean armed;
    /** Next point in the same hash bucket; written under kprobe_mutex, read under RCU. */
    volatile ProbePoint next;

    ProbePoint(long addr, KFunction fn, int insnIndex, Kprobe kp, MissStats stats) {
        this.stats = stats;
        this.hits = stats != null ? stats.hits.slots() : null;
        this.addr = addr;
        this.fn = fn;
        this.insnIndex = insnIndex;
        this.insn = insnIndex >= 0 ? fn.insn(insnIndex) : null;
        this.fallsThrough = insn != null && switch (insn.kind()) {
            case CALL, RET, JMP, JCC -> false;
            default -> true;
        };
        this.isCall = insn != null && insn.kind() == dev.ksim.kernel.text.InsnKind.CALL;
        this.nextAddr = insn != null ? addr + insn.length() : addr;
        this.kp = kp;
        this.kretPool = kp.pre_handler instanceof Kretprobes.Entry e ? e.pool() : null;
    }

    /** {@code kprobe_aggrprobe()}. */
    boolean isAggregator() {
        return children != null;
    }

    /** @param p a kprobe @return whether p is this point's probe or one of its children */
    boolean holds(Kprobe p) {
        if (p == kp) {
            return true;
        }
        Kprobe[] c = children;
        if (c != null) {
            for (Kprobe k : c) {
                if (k == p) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return the user probes at this address, newest first */
    Kprobe[] probes() {
        Kprobe[] c = children;
        return c != null ? c : new Kprobe[] {kp};
    }
}
