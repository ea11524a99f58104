package dev.ksim.loader.weave;

import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Puts a call of {@link Woven#poll()} before every backward jump of a method body — each loop's
 * back-edge — so that a handler looping for ever is reached by the soft-lockup watchdog, as a timer
 * interrupt reaches a spinning CPU. A jump is backward when its target label was already visited.
 */
final class LoopPoll extends MethodVisitor {
    private static final String WOVEN = Type.getInternalName(Woven.class);
    private final Set<Label> visited = new HashSet<>();

    LoopPoll(MethodVisitor body) {
        super(Opcodes.ASM9, body);
    }

    @Override
    public void visitLabel(Label label) {
        visited.add(label);
        super.visitLabel(label);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        if (visited.contains(label)) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, WOVEN, "poll", "()V", false);
        }
        super.visitJumpInsn(opcode, label);
    }
}
