package dev.ksim.loader.bpf;

import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * The effect on a {@link NullFrame} of each instruction that falls through to the next one (JVMS §6.5):
 * what it pops and pushes, in slots. References keep their identity through {@code aload}/{@code astore},
 * the {@code dup} family, {@code swap} and {@code checkcast}; whatever else is pushed is untracked, except a
 * value-or-null a helper returns and the constant {@code null}.
 */
final class NullStack {
    private NullStack() {
    }

    /**
     * @param in an instruction that is not a jump, switch, return or {@code athrow}
     * @param f the frame before it, changed into the frame after it
     * @param result for a call, the value-or-null it returns, else null
     */
    static void apply(Insn in, NullFrame f, NullValue result) {
        int op = in.opcode();
        switch (op) {
            case Opcodes.NOP, Opcodes.IINC -> {
            }
            case Opcodes.ACONST_NULL -> f.push(NullValue.NULL);
            case Opcodes.ICONST_M1, Opcodes.ICONST_0, Opcodes.ICONST_1, Opcodes.ICONST_2, Opcodes.ICONST_3,
                    Opcodes.ICONST_4, Opcodes.ICONST_5, Opcodes.FCONST_0, Opcodes.FCONST_1, Opcodes.FCONST_2,
                    Opcodes.BIPUSH, Opcodes.SIPUSH, Opcodes.ILOAD, Opcodes.FLOAD -> f.pushOther(1);
            case Opcodes.LCONST_0, Opcodes.LCONST_1, Opcodes.DCONST_0, Opcodes.DCONST_1, Opcodes.LLOAD,
                    Opcodes.DLOAD -> f.pushOther(2);
            case Opcodes.LDC -> f.pushOther(Type.getType(in.desc()).getSize());
            case Opcodes.ALOAD -> f.push(f.local(in.var()));
            case Opcodes.ISTORE, Opcodes.FSTORE -> {
                f.pop(1);
                f.setLocal(in.var(), NullValue.OTHER);
            }
            case Opcodes.LSTORE, Opcodes.DSTORE -> {
                f.pop(2);
                f.setLocal(in.var(), NullValue.OTHER);
                f.setLocal(in.var() + 1, NullValue.OTHER);
            }
            case Opcodes.ASTORE -> f.setLocal(in.var(), f.pop());
            case Opcodes.IALOAD, Opcodes.FALOAD, Opcodes.AALOAD, Opcodes.BALOAD, Opcodes.CALOAD, Opcodes.SALOAD ->
                    popPush(f, 2, 1);
            case Opcodes.LALOAD, Opcodes.DALOAD -> popPush(f, 2, 2);
            case Opcodes.IASTORE, Opcodes.FASTORE, Opcodes.AASTORE, Opcodes.BASTORE, Opcodes.CASTORE,
                    Opcodes.SASTORE -> f.pop(3);
            case Opcodes.LASTORE, Opcodes.DASTORE -> f.pop(4);
            case Opcodes.POP -> f.pop(1);
            case Opcodes.POP2 -> f.pop(2);
            case Opcodes.DUP -> dup(f, 1, 0);
            case Opcodes.DUP_X1 -> dup(f, 1, 1);
            case Opcodes.DUP_X2 -> dup(f, 1, 2);
            case Opcodes.DUP2 -> dup(f, 2, 0);
            case Opcodes.DUP2_X1 -> dup(f, 2, 1);
            case Opcodes.DUP2_X2 -> dup(f, 2, 2);
            case Opcodes.SWAP -> {
                NullValue top = f.pop();
                f.insert(1, top);
            }
            case Opcodes.GETSTATIC -> f.pushOther(Type.getType(in.desc()).getSize());
            case Opcodes.PUTSTATIC -> f.pop(Type.getType(in.desc()).getSize());
            case Opcodes.GETFIELD -> popPush(f, 1, Type.getType(in.desc()).getSize());
            case Opcodes.PUTFIELD -> f.pop(1 + Type.getType(in.desc()).getSize());
            case Opcodes.INVOKEVIRTUAL, Opcodes.INVOKESPECIAL, Opcodes.INVOKEINTERFACE, Opcodes.INVOKESTATIC,
                    Opcodes.INVOKEDYNAMIC -> {
                int sizes = Type.getArgumentsAndReturnSizes(in.desc());
                // the argument size counts an implicit receiver; static and dynamic calls have none
                int receiver = op == Opcodes.INVOKESTATIC || op == Opcodes.INVOKEDYNAMIC ? 1 : 0;
                f.pop((sizes >> 2) - receiver);
                if (result != null) {
                    f.push(result);
                } else {
                    f.pushOther(sizes & 3);
                }
            }
            case Opcodes.NEW -> f.pushOther(1);
            case Opcodes.NEWARRAY, Opcodes.ANEWARRAY, Opcodes.ARRAYLENGTH -> popPush(f, 1, 1);
            case Opcodes.MULTIANEWARRAY -> popPush(f, in.intOperand(), 1);
            case Opcodes.CHECKCAST -> {
            }
            case Opcodes.INSTANCEOF -> {
                NullValue v = f.pop();
                f.push(v.state() == NullValue.State.MAYBE_NULL
                        ? new NullValue(v.id(), NullValue.State.INSTANCE_TEST, v.type()) : NullValue.OTHER);
            }
            case Opcodes.MONITORENTER, Opcodes.MONITOREXIT -> f.pop(1);
            default -> arithmetic(op, f);
        }
    }

    /** Arithmetic, conversions and comparisons: opcodes 96 to 152, grouped as JVMS orders them. */
    private static void arithmetic(int op, NullFrame f) {
        if (op >= Opcodes.IADD && op <= Opcodes.DREM) {
            int size = (op - Opcodes.IADD) % 2 == 1 ? 2 : 1; // int, long, float, double in turn
            popPush(f, 2 * size, size);
        } else if (op >= Opcodes.INEG && op <= Opcodes.DNEG) {
            int size = (op - Opcodes.INEG) % 2 == 1 ? 2 : 1;
            popPush(f, size, size);
        } else if (op >= Opcodes.ISHL && op <= Opcodes.LUSHR) {
            boolean isLong = (op - Opcodes.ISHL) % 2 == 1; // the shift distance is an int
            popPush(f, isLong ? 3 : 2, isLong ? 2 : 1);
        } else if (op >= Opcodes.IAND && op <= Opcodes.LXOR) {
            boolean isLong = (op - Opcodes.IAND) % 2 == 1;
            popPush(f, isLong ? 4 : 2, isLong ? 2 : 1);
        } else if (op >= Opcodes.I2L && op <= Opcodes.I2S) {
            popPush(f, sizeOf(CONVERSIONS.charAt(2 * (op - Opcodes.I2L))),
                    sizeOf(CONVERSIONS.charAt(2 * (op - Opcodes.I2L) + 1)));
        } else if (op == Opcodes.LCMP || op == Opcodes.DCMPL || op == Opcodes.DCMPG) {
            popPush(f, 4, 1);
        } else if (op == Opcodes.FCMPL || op == Opcodes.FCMPG) {
            popPush(f, 2, 1);
        } else {
            throw new IllegalArgumentException("no stack effect for opcode " + op);
        }
    }

    /** From and to type of each conversion, {@code i2l} to {@code i2s}. */
    private static final String CONVERSIONS = "ILIFIDLILFLDFIFLFDDIDLDFIIIIII";

    private static int sizeOf(char type) {
        return type == 'L' || type == 'D' ? 2 : 1;
    }

    private static void popPush(NullFrame f, int pop, int push) {
        f.pop(pop);
        f.pushOther(push);
    }

    /** Copies the top {@code n} slots below the {@code n + depth} slots on top (the {@code dup} family). */
    private static void dup(NullFrame f, int n, int depth) {
        NullValue[] top = new NullValue[n];
        for (int i = 0; i < n; i++) {
            top[i] = f.peek(n - 1 - i);
        }
        for (NullValue v : top) {
            f.insert(n + depth, v);
        }
    }
}
