package dev.ksim.loader.bpf;

import net.bytebuddy.jar.asm.Opcodes;

/**
 * The verifier's loop rule: every back-edge must belong to a loop the check can prove finite. A loop is
 * proved when its exit test compares an {@code int} local with a known value, the local starts from a
 * known value before the loop, and inside the loop it only moves towards the bound by a constant
 * {@code iinc}; the iterations times the loop's length must then stay within
 * {@code BPF_COMPLEXITY_LIMIT_INSNS}, as the kernel's state exploration would. A loop with no way out is
 * {@code infinite loop detected at insn X}; one whose bound cannot be proved is
 * {@code back-edge from insn X to Y} ({@code check_cfg()}'s words). Besides constants, the bound and the start
 * may be the length of a local array created with a constant size, or a local assigned once from such a
 * value ({@code for (long v : slots)}).
 */
final class LoopCheck {
    /** {@code BPF_COMPLEXITY_LIMIT_INSNS}. */
    static final long BPF_COMPLEXITY_LIMIT_INSNS = 1_000_000;

    private LoopCheck() {
    }

    /**
     * @param m a method
     * @param log receives the failing instruction and the message
     * @return true if every loop is bounded
     */
    static boolean check(MethodCode m, VerifierLog log) {
        for (Insn jump : m.insns) {
            for (net.bytebuddy.jar.asm.Label l : jump.targets()) {
                int head = m.at(l);
                if (head > jump.index()) {
                    continue;
                }
                String err = loop(m, head, jump);
                if (err != null) {
                    log.insn(jump);
                    log.line(err);
                    return false;
                }
            }
        }
        return true;
    }

    /** @return null if the loop from {@code head} to the back-edge {@code back} is bounded, else the message */
    private static String loop(MethodCode m, int head, Insn back) {
        int end = back.index();
        boolean exits = back.opcode() != Opcodes.GOTO;
        for (int i = head; i <= end && !exits; i++) {
            Insn in = m.insns.get(i);
            int op = in.opcode();
            if ((op >= Opcodes.IRETURN && op <= Opcodes.RETURN) || op == Opcodes.ATHROW) {
                exits = true;
            }
            for (net.bytebuddy.jar.asm.Label t : in.targets()) {
                int to = m.at(t);
                if (to < head || to > end) {
                    exits = true;
                }
            }
        }
        if (!exits) {
            return "infinite loop detected at insn " + end;
        }
        long iterations = bound(m, head, back);
        if (iterations < 0) {
            return "back-edge from insn " + end + " to " + head;
        }
        long processed = iterations * (end - head + 1);
        if (processed > BPF_COMPLEXITY_LIMIT_INSNS) {
            return "BPF program is too large. Processed " + (BPF_COMPLEXITY_LIMIT_INSNS + 1) + " insn";
        }
        return null;
    }

    /** @return the most iterations of the loop, or -1 if no exit test gives a provable bound */
    private static long bound(MethodCode m, int head, Insn back) {
        int end = back.index();
        for (int i = head; i <= end; i++) {
            Insn test = m.insns.get(i);
            int op = test.opcode();
            boolean withZero = op >= Opcodes.IFEQ && op <= Opcodes.IFLE;
            if (!withZero && (op < Opcodes.IF_ICMPEQ || op > Opcodes.IF_ICMPLE)) {
                continue;
            }
            if (i < head + (withZero ? 1 : 2)) {
                continue;
            }
            boolean isBack = test == back;
            int to = m.at(test.targets()[0]);
            boolean jumpExits = to < head || to > end;
            if (!isBack && !jumpExits) {
                continue;
            }
            Insn b = m.insns.get(i - 1);
            int var;
            int limit;
            int cmp = op;
            int[] right = withZero ? null : pushed(m, i - 1, 0);
            if (withZero && b.opcode() == Opcodes.ILOAD) {
                // ifXX compares with zero, as if_icmpXX with a constant 0 (the opcodes are in the same order).
                var = b.var();
                limit = 0;
                cmp = op - Opcodes.IFEQ + Opcodes.IF_ICMPEQ;
            } else if (withZero) {
                continue;
            } else if (right != null && i - 1 - right[1] >= head
                    && m.insns.get(i - 1 - right[1]).opcode() == Opcodes.ILOAD
                    && onlyStep(m, head, end, m.insns.get(i - 1 - right[1]).var()) != null) {
                var = m.insns.get(i - 1 - right[1]).var();
                limit = right[0];
            } else if (b.opcode() == Opcodes.ILOAD && pushed(m, i - 2, 0) != null) {
                var = b.var();
                limit = pushed(m, i - 2, 0)[0];
                cmp = swap(op);
            } else {
                continue;
            }
            // The condition under which the loop goes on: the jump's own for a back-edge, else its negation.
            int stay = isBack ? cmp : negate(cmp);
            Integer step = onlyStep(m, head, end, var);
            Integer start = startValue(m, head, var);
            if (step == null || start == null || step == 0) {
                continue;
            }
            long n = iterations(start, limit, step, stay);
            if (n >= 0) {
                return n;
            }
        }
        return -1;
    }

    /** Iterations of {@code for (v = start; v STAY limit; v += step)}; -1 if it need not end. */
    private static long iterations(long start, long limit, long step, int stay) {
        switch (stay) {
            case Opcodes.IF_ICMPLT, Opcodes.IF_ICMPLE -> {
                if (step < 0) {
                    return start < limit || (stay == Opcodes.IF_ICMPLE && start == limit) ? -1 : 0;
                }
                long span = limit - start + (stay == Opcodes.IF_ICMPLE ? 1 : 0);
                return span <= 0 ? 0 : (span + step - 1) / step;
            }
            case Opcodes.IF_ICMPGT, Opcodes.IF_ICMPGE -> {
                if (step > 0) {
                    return start > limit || (stay == Opcodes.IF_ICMPGE && start == limit) ? -1 : 0;
                }
                long span = start - limit + (stay == Opcodes.IF_ICMPGE ? 1 : 0);
                return span <= 0 ? 0 : (span - step - 1) / -step;
            }
            default -> {
                return -1;
            }
        }
    }

    private static int swap(int op) {
        return switch (op) {
            case Opcodes.IF_ICMPLT -> Opcodes.IF_ICMPGT;
            case Opcodes.IF_ICMPGT -> Opcodes.IF_ICMPLT;
            case Opcodes.IF_ICMPLE -> Opcodes.IF_ICMPGE;
            case Opcodes.IF_ICMPGE -> Opcodes.IF_ICMPLE;
            default -> op;
        };
    }

    private static int negate(int op) {
        return switch (op) {
            case Opcodes.IF_ICMPLT -> Opcodes.IF_ICMPGE;
            case Opcodes.IF_ICMPGE -> Opcodes.IF_ICMPLT;
            case Opcodes.IF_ICMPGT -> Opcodes.IF_ICMPLE;
            case Opcodes.IF_ICMPLE -> Opcodes.IF_ICMPGT;
            case Opcodes.IF_ICMPEQ -> Opcodes.IF_ICMPNE;
            default -> Opcodes.IF_ICMPEQ;
        };
    }

    /** The one constant {@code iinc} of {@code var} in the loop, or null if it is changed otherwise. */
    private static Integer onlyStep(MethodCode m, int head, int end, int var) {
        Integer step = null;
        for (int i = head; i <= end; i++) {
            Insn in = m.insns.get(i);
            if (in.opcode() == Opcodes.IINC && in.var() == var) {
                if (step != null) {
                    return null;
                }
                step = in.intOperand();
            } else if (in.opcode() == Opcodes.ISTORE && in.var() == var) {
                return null;
            }
        }
        return step;
    }

    /** The constant stored in {@code var} right before the loop (skipping a {@code goto} to its test). */
    private static Integer startValue(MethodCode m, int head, int var) {
        for (int i = head - 1; i >= 1; i--) {
            Insn in = m.insns.get(i);
            if (in.opcode() == Opcodes.GOTO) {
                continue;
            }
            if (in.opcode() == Opcodes.ISTORE && in.var() == var) {
                int[] v = pushed(m, i - 1, 0);
                return v == null ? null : v[0];
            }
            return null;
        }
        return null;
    }

    /**
     * The int the instructions ending at {@code end} are known to push: a constant; {@code a.length} of a
     * local array created once with a constant size; a local assigned once, from such a value, and never
     * incremented.
     *
     * @return {value, how many instructions push it}, or null if the value is not known
     */
    private static int[] pushed(MethodCode m, int end, int depth) {
        if (end < 0 || depth > 4) {
            return null;
        }
        Insn in = m.insns.get(end);
        if (in.constant()) {
            return new int[] {in.intOperand(), 1};
        }
        if (in.opcode() == Opcodes.ARRAYLENGTH && end >= 1 && m.insns.get(end - 1).opcode() == Opcodes.ALOAD) {
            Integer n = arrayLength(m, m.insns.get(end - 1).var(), depth);
            return n == null ? null : new int[] {n, 2};
        }
        if (in.opcode() == Opcodes.ILOAD) {
            Insn store = onlyStore(m, Opcodes.ISTORE, in.var());
            if (store == null || store.index() < 1) {
                return null;
            }
            for (Insn other : m.insns) {
                if (other.opcode() == Opcodes.IINC && other.var() == in.var()) {
                    return null;
                }
            }
            int[] v = pushed(m, store.index() - 1, depth + 1);
            return v == null ? null : new int[] {v[0], 1};
        }
        return null;
    }

    /** The length of the array in local {@code var}: created once with a constant size, or a copy of such a local. */
    private static Integer arrayLength(MethodCode m, int var, int depth) {
        Insn store = onlyStore(m, Opcodes.ASTORE, var);
        if (store == null || store.index() < 1 || depth > 4) {
            return null;
        }
        Insn from = m.insns.get(store.index() - 1);
        if (from.opcode() == Opcodes.ALOAD) {
            return arrayLength(m, from.var(), depth + 1);
        }
        Insn size = store.index() >= 2 ? m.insns.get(store.index() - 2) : null;
        boolean array = from.opcode() == Opcodes.NEWARRAY || from.opcode() == Opcodes.ANEWARRAY;
        return array && size != null && size.constant() ? size.intOperand() : null;
    }

    /** The one {@code opcode} store to local {@code var} in the method (a parameter is never one), or null. */
    private static Insn onlyStore(MethodCode m, int opcode, int var) {
        Insn found = null;
        for (Insn in : m.insns) {
            if ((in.opcode() == Opcodes.ISTORE || in.opcode() == Opcodes.ASTORE || in.opcode() == Opcodes.LSTORE
                    || in.opcode() == Opcodes.FSTORE || in.opcode() == Opcodes.DSTORE) && in.var() == var) {
                if (found != null || in.opcode() != opcode) {
                    return null;
                }
                found = in;
            }
        }
        return found;
    }
}
