package dev.ksim.loader.bpf;

import java.util.ArrayDeque;
import java.util.Deque;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * The verifier's nullness rule, after {@code check_mem_access()} in {@code kernel/bpf/verifier.c}: a value a
 * helper returns as value-or-null ({@code bpf_map_lookup_elem}'s {@code PTR_TO_MAP_VALUE_OR_NULL},
 * {@code bpf_ringbuf_reserve}'s ring-buffer memory) must be tested against {@code null} before it is
 * dereferenced, else {@code R0 invalid mem access 'map_value_or_null'}. A dereference is what faults on
 * {@code null} in Java: a call on the value (the unboxing {@code longValue()} included), a field access,
 * {@code arraylength}, an array load or store, {@code athrow}, {@code monitorenter}.
 *
 * <p>The analysis walks the method's control-flow graph with a worklist, keeping a {@link NullFrame} per
 * instruction and merging frames where paths meet. A test ({@code ifnull}, {@code ifnonnull},
 * {@code if_acmpeq}/{@code if_acmpne} with {@code null}, {@code ifeq}/{@code ifne} on {@code instanceof})
 * refines the value on each outgoing edge, and in every local and stack slot that holds a copy of it
 * ({@code astore}/{@code aload}, {@code dup}, {@code checkcast} keep the value's identity), as the kernel's
 * {@code mark_ptr_or_null_regs()} does for registers sharing an id. Storing, comparing, returning the value or
 * passing it to a helper or another method are not dereferences. Exception handlers are not entered: a
 * program's code runs without them, as the kernel's has none.
 */
final class NullCheck {
    private static final String BPF = "dev/ksim/sdk/bpf/Bpf";

    private NullCheck() {
    }

    /**
     * @param m a method
     * @param log receives the dereferencing instruction and the message
     * @param memRingbuf whether ring-buffer pointers are {@code ringbuf_mem} (6.1) rather than {@code mem}
     * @return true if no maybe-null value is dereferenced
     */
    static boolean check(MethodCode m, VerifierLog log, boolean memRingbuf) {
        int n = m.insns.size();
        if (n == 0) {
            return true;
        }
        NullFrame[] before = new NullFrame[n];
        before[0] = NullFrame.entry(maxLocals(m));
        Deque<Integer> work = new ArrayDeque<>();
        boolean[] queued = new boolean[n];
        work.add(0);
        queued[0] = true;
        while (!work.isEmpty()) {
            int i = work.poll();
            queued[i] = false;
            Insn in = m.insns.get(i);
            if (in.opcode() == Opcodes.JSR || in.opcode() == Opcodes.RET) {
                return true; // subroutines predate Java 6 class files; javac has not emitted them since
            }
            NullFrame f = before[i].copy();
            NullValue deref = dereferenced(in, f);
            if (deref != null && deref.unchecked()) {
                log.insn(in);
                log.line("R0 invalid mem access '" + deref.regType() + "'");
                return false;
            }
            for (Edge e : execute(m, in, f, memRingbuf)) {
                if (e.to() >= n) {
                    continue;
                }
                boolean changed;
                if (before[e.to()] == null) {
                    before[e.to()] = e.frame();
                    changed = true;
                } else {
                    changed = before[e.to()].join(e.frame(), e.to());
                }
                if (changed && !queued[e.to()]) {
                    queued[e.to()] = true;
                    work.add(e.to());
                }
            }
        }
        return true;
    }

    /** A successor of an instruction and the frame it receives along that edge. */
    private record Edge(int to, NullFrame frame) {
    }

    private static int maxLocals(MethodCode m) {
        int max = (Type.getArgumentsAndReturnSizes(m.desc) >> 2) - (m.isStatic ? 1 : 0);
        for (Insn in : m.insns) {
            if (in.var() >= 0) {
                max = Math.max(max, in.var() + 2);
            }
        }
        return max;
    }

    /** @return the reference {@code in} dereferences, before it runs on {@code f}; null if none */
    private static NullValue dereferenced(Insn in, NullFrame f) {
        int op = in.opcode();
        return switch (op) {
            case Opcodes.INVOKEVIRTUAL, Opcodes.INVOKEINTERFACE, Opcodes.INVOKESPECIAL ->
                    f.peek((Type.getArgumentsAndReturnSizes(in.desc()) >> 2) - 1);
            case Opcodes.GETFIELD, Opcodes.ARRAYLENGTH, Opcodes.ATHROW, Opcodes.MONITORENTER, Opcodes.MONITOREXIT ->
                    f.peek(0);
            case Opcodes.PUTFIELD -> f.peek(Type.getType(in.desc()).getSize());
            case Opcodes.IALOAD, Opcodes.LALOAD, Opcodes.FALOAD, Opcodes.DALOAD, Opcodes.AALOAD, Opcodes.BALOAD,
                    Opcodes.CALOAD, Opcodes.SALOAD -> f.peek(1);
            case Opcodes.IASTORE, Opcodes.FASTORE, Opcodes.AASTORE, Opcodes.BASTORE, Opcodes.CASTORE,
                    Opcodes.SASTORE -> f.peek(2);
            case Opcodes.LASTORE, Opcodes.DASTORE -> f.peek(3);
            default -> null;
        };
    }

    /** Runs {@code in} on {@code f} and returns its successors with their frames. */
    private static Edge[] execute(MethodCode m, Insn in, NullFrame f, boolean memRingbuf) {
        int op = in.opcode();
        int next = in.index() + 1;
        switch (op) {
            case Opcodes.GOTO -> {
                return new Edge[] {new Edge(m.at(in.targets()[0]), f)};
            }
            case Opcodes.IFNULL, Opcodes.IFNONNULL -> {
                NullValue v = f.pop();
                return nullTest(m, in, f, v, op == Opcodes.IFNULL);
            }
            case Opcodes.IF_ACMPEQ, Opcodes.IF_ACMPNE -> {
                NullValue b = f.pop();
                NullValue a = f.pop();
                NullValue tested = b.state() == NullValue.State.NULL ? a : a.state() == NullValue.State.NULL ? b : null;
                return tested == null ? branch(m, in, f) : nullTest(m, in, f, tested, op == Opcodes.IF_ACMPEQ);
            }
            case Opcodes.IFEQ, Opcodes.IFNE -> {
                NullValue v = f.pop();
                if (v.state() != NullValue.State.INSTANCE_TEST) {
                    return branch(m, in, f);
                }
                // instanceof is non-zero only for a non-null value; zero says nothing (another type, or null)
                NullFrame taken = f.copy();
                NullFrame fallThrough = f;
                (op == Opcodes.IFNE ? taken : fallThrough).refine(v.id(), NullValue::checkedNonNull);
                return new Edge[] {new Edge(m.at(in.targets()[0]), taken), new Edge(in.index() + 1, fallThrough)};
            }
            case Opcodes.IFLT, Opcodes.IFGE, Opcodes.IFGT, Opcodes.IFLE -> {
                f.pop(1);
                return branch(m, in, f);
            }
            case Opcodes.IF_ICMPEQ, Opcodes.IF_ICMPNE, Opcodes.IF_ICMPLT, Opcodes.IF_ICMPGE, Opcodes.IF_ICMPGT,
                    Opcodes.IF_ICMPLE -> {
                f.pop(2);
                return branch(m, in, f);
            }
            case Opcodes.TABLESWITCH, Opcodes.LOOKUPSWITCH -> {
                f.pop(1);
                Label[] targets = in.targets();
                Edge[] edges = new Edge[targets.length];
                for (int t = 0; t < targets.length; t++) {
                    edges[t] = new Edge(m.at(targets[t]), t == 0 ? f : f.copy());
                }
                return edges;
            }
            case Opcodes.IRETURN, Opcodes.LRETURN, Opcodes.FRETURN, Opcodes.DRETURN, Opcodes.ARETURN, Opcodes.RETURN,
                    Opcodes.ATHROW -> {
                return new Edge[0];
            }
            default -> {
                NullStack.apply(in, f, produced(in, memRingbuf));
                return new Edge[] {new Edge(next, f)};
            }
        }
    }

    /** @return the value-or-null a call returns, or null if the instruction produces no such value */
    private static NullValue produced(Insn in, boolean memRingbuf) {
        int op = in.opcode();
        int id = in.index() + 1;
        if (op == Opcodes.INVOKESTATIC && BPF.equals(in.owner())) {
            if (in.name().equals("bpf_map_lookup_elem")) {
                return new NullValue(id, NullValue.State.MAYBE_NULL, "map_value");
            }
            if (in.name().equals("bpf_ringbuf_reserve")) {
                return new NullValue(id, NullValue.State.MAYBE_NULL, memRingbuf ? "ringbuf_mem" : "mem");
            }
        }
        if (op == Opcodes.INVOKEVIRTUAL && in.owner().startsWith(BPF) && in.name().equals("lookup")) {
            return new NullValue(id, NullValue.State.MAYBE_NULL, "map_value");
        }
        return null;
    }

    /** A conditional jump that teaches nothing about nullness: both successors get the same frame. */
    private static Edge[] branch(MethodCode m, Insn in, NullFrame f) {
        return new Edge[] {new Edge(m.at(in.targets()[0]), f.copy()), new Edge(in.index() + 1, f)};
    }

    /**
     * A test of {@code v} against null: the successor where it is null and the one where it is not each see
     * every copy of it refined.
     */
    private static Edge[] nullTest(MethodCode m, Insn in, NullFrame f, NullValue v, boolean jumpsIfNull) {
        NullFrame taken = f.copy();
        NullFrame fallThrough = f;
        NullFrame nonNull = jumpsIfNull ? fallThrough : taken;
        NullFrame isNull = jumpsIfNull ? taken : fallThrough;
        nonNull.refine(v.id(), NullValue::checkedNonNull);
        isNull.refine(v.id(), NullValue::checkedNull);
        return new Edge[] {new Edge(m.at(in.targets()[0]), taken), new Edge(in.index() + 1, fallThrough)};
    }
}
