package dev.ksim.kernel.trace;

import java.util.List;

/**
 * One parsed fetch argument of a probe event ({@code struct probe_arg}): where the value comes from, the
 * dereferences applied to it, how it is stored, and how it is named and printed.
 *
 * @param name the field name ({@code argN} when not given)
 * @param comm the argument as written, after {@code NAME=} (shown back by {@code kprobe_events})
 * @param type the type
 * @param count the array length, 0 for a scalar
 * @param base where the value starts
 * @param derefs the dereferences, innermost first; the last one is the store when {@code memoryStore}
 * @param memoryStore whether the last dereference reads the value itself (a memory fetch) rather than a pointer
 * @param bitWidth the bitfield width, 0 when not a bitfield
 * @param bitOffset the bitfield offset
 */
record ProbeArg(String name, String comm, FetchType type, int count, Base base, List<Deref> derefs,
        boolean memoryStore, int bitWidth, int bitOffset) {

    /** A value source ({@code FETCH_OP_REG}, {@code FETCH_OP_STACK}, …). */
    enum Op { REG, STACK, STACKP, RETVAL, IMM, COMM, DATA, ARG, SYMBOL, FOFFS }

    /**
     * The first stage of a fetch.
     *
     * @param op what is read
     * @param param the register name, symbol, or string literal
     * @param value the stack slot, argument index (0-based), immediate or file offset
     */
    record Base(Op op, String param, long value) {
    }

    /**
     * {@code +OFFS(…)}, {@code -OFFS(…)} or {@code +uOFFS(…)}.
     *
     * @param offset added to the address
     * @param user whether user memory is read
     */
    record Deref(long offset, boolean user) {
    }

    /** @return whether this argument has the same type, count and name as another ({@code trace_probe_compare_arg_type}) */
    boolean sameShape(ProbeArg o) {
        return type.equals(o.type) && count == o.count && name.equals(o.name);
    }
}
