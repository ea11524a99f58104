package dev.ksim.loader.bpf;

import net.bytebuddy.jar.asm.Label;

/**
 * One bytecode instruction as the verifier sees it.
 *
 * @param index its position in the method (the verifier's "insn" number)
 * @param opcode the JVM opcode
 * @param owner for field and method instructions, the owner's internal name; for type instructions the type
 * @param name the field or method name, or null
 * @param desc the descriptor; for {@code ldc}, the descriptor of the constant it pushes; or null
 * @param intOperand the local variable, the pushed int constant, or the iinc increment
 * @param var for {@code iinc}, the variable; else -1
 * @param constant whether the instruction pushes an int constant ({@code intOperand})
 * @param targets jump targets (one for a jump, several for a switch), or an empty array
 */
record Insn(int index, int opcode, String owner, String name, String desc, int intOperand, int var, boolean constant,
        Label[] targets) {

    /** @return how the verifier log shows it: {@code 12: (b8) invokestatic dev/ksim/sdk/Kernel.msleep(I)V} */
    String show() {
        String op = Opcodes.name(opcode);
        StringBuilder b = new StringBuilder().append(index).append(": (").append(String.format("%02x", opcode))
                .append(") ").append(op);
        if (owner != null) {
            b.append(' ').append(owner);
            if (name != null) {
                b.append('.').append(name).append(desc.startsWith("(") ? desc : " " + desc);
            }
        } else if (var >= 0) {
            b.append(' ').append(var).append(' ').append(intOperand);
        } else if (constant) {
            b.append(' ').append(intOperand);
        }
        return b.toString();
    }

    /** JVM opcode mnemonics, from ASM's constants. */
    static final class Opcodes {
        private static final String[] NAMES = new String[256];

        static {
            for (java.lang.reflect.Field f : net.bytebuddy.jar.asm.Opcodes.class.getFields()) {
                String n = f.getName();
                if (f.getType() != int.class || n.startsWith("ACC_") || n.startsWith("T_") || n.startsWith("H_")
                        || n.startsWith("F_") || n.startsWith("V") || n.startsWith("ASM") || n.startsWith("SOURCE")) {
                    continue;
                }
                try {
                    int v = f.getInt(null);
                    if (v >= 0 && v < 256 && NAMES[v] == null) {
                        NAMES[v] = n.toLowerCase(java.util.Locale.ROOT);
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        private Opcodes() {
        }

        static String name(int opcode) {
            String n = opcode >= 0 && opcode < 256 ? NAMES[opcode] : null;
            return n == null ? "op" + opcode : n;
        }
    }
}
