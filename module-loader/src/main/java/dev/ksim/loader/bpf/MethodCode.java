package dev.ksim.loader.bpf;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * A method's instructions, numbered, with its labels resolved to instruction numbers and the
 * lambdas it creates: what the verifier's checks walk.
 */
final class MethodCode extends MethodVisitor {
    final String owner;
    final String name;
    final String desc;
    final boolean isStatic;
    final List<Insn> insns = new ArrayList<>();
    /** Label → the number of the instruction that follows it. */
    private final Map<Label, Integer> labels = new IdentityHashMap<>();
    /** Instruction number of an invokedynamic → the own method its lambda runs (owner.name+desc), if any. */
    final Map<Integer, String> lambdaTargets = new java.util.HashMap<>();

    MethodCode(String owner, String name, String desc, boolean isStatic) {
        super(Opcodes.ASM9);
        this.owner = owner;
        this.name = name;
        this.desc = desc;
        this.isStatic = isStatic;
    }

    /** @return {@code owner.name+desc}, how calls name this method */
    String key() {
        return owner + "." + name + desc;
    }

    /** @param l a label @return the number of the instruction it marks */
    int at(Label l) {
        Integer i = labels.get(l);
        return i == null ? insns.size() : i;
    }

    private void add(int opcode, String owner, String name, String desc, int operand, int var, boolean constant,
            Label... targets) {
        insns.add(new Insn(insns.size(), opcode, owner, name, desc, operand, var, constant, targets));
    }

    @Override
    public void visitLabel(Label label) {
        labels.put(label, insns.size());
    }

    @Override
    public void visitInsn(int opcode) {
        boolean c = opcode >= Opcodes.ICONST_M1 && opcode <= Opcodes.ICONST_5;
        add(opcode, null, null, null, c ? opcode - Opcodes.ICONST_0 : 0, -1, c);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        add(opcode, null, null, null, operand, -1, opcode != Opcodes.NEWARRAY);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        add(opcode, null, null, null, var, var, false);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        add(opcode, type, null, null, 0, -1, false);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        add(opcode, owner, name, descriptor, 0, -1, false);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        add(opcode, owner, name, descriptor, 0, -1, false);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... args) {
        int at = insns.size();
        add(Opcodes.INVOKEDYNAMIC, bsm.getOwner(), bsm.getName(), descriptor, 0, -1, false);
        for (Object a : args) {
            if (a instanceof Handle h && bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory")) {
                lambdaTargets.put(at, h.getOwner() + "." + h.getName() + h.getDesc());
            }
        }
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        add(opcode, null, null, null, 0, -1, false, label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        boolean c = value instanceof Integer;
        // The descriptor of what it pushes, for the analyses that track the operand stack.
        String pushed = value instanceof Long ? "J" : value instanceof Double ? "D" : c ? "I" : "Ljava/lang/Object;";
        add(Opcodes.LDC, null, null, pushed, c ? (Integer) value : 0, -1, c);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        add(Opcodes.IINC, null, null, null, increment, var, false);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        Label[] all = java.util.Arrays.copyOf(labels, labels.length + 1);
        all[labels.length] = dflt;
        add(Opcodes.TABLESWITCH, null, null, null, 0, -1, false, all);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        Label[] all = java.util.Arrays.copyOf(labels, labels.length + 1);
        all[labels.length] = dflt;
        add(Opcodes.LOOKUPSWITCH, null, null, null, 0, -1, false, all);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        add(Opcodes.MULTIANEWARRAY, descriptor, null, null, numDimensions, -1, false);
    }
}
