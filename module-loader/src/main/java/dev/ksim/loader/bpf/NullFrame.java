package dev.ksim.loader.bpf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The nullness analysis' state before one instruction: a {@link NullValue} per local variable slot and per
 * operand-stack slot ({@code long} and {@code double} take two of each, as in the JVM). Each frame belongs to
 * one instruction of one analysis and is changed only by it.
 */
final class NullFrame {
    private final NullValue[] locals;
    private final List<NullValue> stack;

    private NullFrame(NullValue[] locals, List<NullValue> stack) {
        this.locals = locals;
        this.stack = stack;
    }

    /** @param maxLocals the number of local slots @return a frame with every slot untracked and no stack */
    static NullFrame entry(int maxLocals) {
        NullValue[] l = new NullValue[maxLocals];
        Arrays.fill(l, NullValue.OTHER);
        return new NullFrame(l, new ArrayList<>());
    }

    NullFrame copy() {
        return new NullFrame(locals.clone(), new ArrayList<>(stack));
    }

    NullValue local(int var) {
        return locals[var];
    }

    void setLocal(int var, NullValue v) {
        locals[var] = v;
    }

    void push(NullValue v) {
        stack.add(v);
    }

    /** @param slots how many slots to push, each untracked */
    void pushOther(int slots) {
        for (int i = 0; i < slots; i++) {
            stack.add(NullValue.OTHER);
        }
    }

    NullValue pop() {
        return stack.remove(stack.size() - 1);
    }

    /** @param slots how many slots to pop */
    void pop(int slots) {
        for (int i = 0; i < slots; i++) {
            pop();
        }
    }

    /** @param depth 0 for the top of the stack @return the slot that deep */
    NullValue peek(int depth) {
        return stack.get(stack.size() - 1 - depth);
    }

    /** @param depth 0 for the top of the stack @param v its new value */
    void set(int depth, NullValue v) {
        stack.set(stack.size() - 1 - depth, v);
    }

    /** Inserts {@code v} below the top {@code depth} slots (the {@code dup_x} family). */
    void insert(int depth, NullValue v) {
        stack.add(stack.size() - depth, v);
    }

    /**
     * Applies what a test learned about the value {@code id} to every copy of it, in locals and on the stack,
     * as the kernel's {@code mark_ptr_or_null_regs()} does to every register with the same id.
     */
    void refine(int id, UnaryOperator<NullValue> f) {
        if (id == 0) {
            return;
        }
        for (int i = 0; i < locals.length; i++) {
            if (locals[i].id() == id) {
                locals[i] = f.apply(locals[i]);
            }
        }
        stack.replaceAll(v -> v.id() == id ? f.apply(v) : v);
    }

    /**
     * Merges what another path brings to the same instruction into this frame.
     *
     * @param other the frame on the other path (the same stack height, as the JVM's verifier requires)
     * @param at the instruction's number, which names the values merged here
     * @return whether this frame changed
     */
    boolean join(NullFrame other, int at) {
        boolean changed = false;
        for (int i = 0; i < locals.length; i++) {
            NullValue j = locals[i].join(other.locals[i], mergedId(at, i));
            changed |= !j.equals(locals[i]);
            locals[i] = j;
        }
        for (int i = 0; i < stack.size() && i < other.stack.size(); i++) {
            NullValue j = stack.get(i).join(other.stack.get(i), mergedId(at, locals.length + i));
            changed |= !j.equals(stack.get(i));
            stack.set(i, j);
        }
        return changed;
    }

    /** A negative id, distinct for each instruction and slot, never an instruction's own (positive) id. */
    private static int mergedId(int at, int slot) {
        return -(at * 65_536 + slot + 1);
    }
}
