package dev.ksim.loader.weave;

import java.util.Map;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Turns a module method's calls of the JDK's blocking operations ({@code Thread.sleep},
 * {@code TimeUnit.sleep}, {@code Object.wait}, {@code Lock.lock}, {@code Condition.await},
 * {@code LockSupport.park}) into calls of {@link BlockingCalls}, passing the calling source file and line,
 * so that one made in a probe handler is reported as the kernel reports a sleeping function called in
 * atomic context. The receiver of an instance call becomes the hook's first argument.
 */
final class BlockingCallRewriter extends MethodVisitor {
    private static final String HOOKS = Type.getInternalName(BlockingCalls.class);
    private static final String SITE = "Ljava/lang/String;I";

    /** {@code owner.name+desc} of a blocking call → its hook's name and descriptor. */
    private static final Map<String, String[]> HOOKED = Map.ofEntries(
            hook("java/lang/Thread", "sleep", "(J)V", true, "sleep"),
            hook("java/lang/Thread", "sleep", "(JI)V", true, "sleep"),
            hook("java/util/concurrent/TimeUnit", "sleep", "(J)V", false, "sleep"),
            hook("java/lang/Object", "wait", "()V", false, "wait"),
            hook("java/lang/Object", "wait", "(J)V", false, "wait"),
            hook("java/lang/Object", "wait", "(JI)V", false, "wait"),
            lock("java/util/concurrent/locks/Lock"),
            lock("java/util/concurrent/locks/ReentrantLock"),
            lock("java/util/concurrent/locks/ReentrantReadWriteLock$ReadLock"),
            lock("java/util/concurrent/locks/ReentrantReadWriteLock$WriteLock"),
            lockInterruptibly("java/util/concurrent/locks/Lock"),
            lockInterruptibly("java/util/concurrent/locks/ReentrantLock"),
            hook("java/util/concurrent/locks/Condition", "await", "()V", false, "await", "Condition"),
            hook("java/util/concurrent/locks/Condition", "awaitUninterruptibly", "()V", false, "awaitUninterruptibly",
                    "Condition"),
            hook("java/util/concurrent/locks/LockSupport", "park", "()V", true, "park"),
            hook("java/util/concurrent/locks/LockSupport", "parkNanos", "(J)V", true, "parkNanos"));

    private final String file;
    private int line;

    /**
     * @param body where the rewritten code goes
     * @param file the class's source path ({@code dev/example/Mod.java}), as {@code __FILE__}
     */
    BlockingCallRewriter(MethodVisitor body, String file) {
        super(Opcodes.ASM9, body);
        this.file = file;
    }

    private static Map.Entry<String, String[]> lock(String owner) {
        return hook(owner, "lock", "()V", false, "lock", "Lock");
    }

    private static Map.Entry<String, String[]> lockInterruptibly(String owner) {
        return hook(owner, "lockInterruptibly", "()V", false, "lockInterruptibly", "Lock");
    }

    private static Map.Entry<String, String[]> hook(String owner, String name, String desc, boolean isStatic,
            String hook) {
        return hook(owner, name, desc, isStatic, hook, null);
    }

    /**
     * @param receiverType the hook's first parameter type in {@code java.util.concurrent.locks} when it is an
     *     interface the owner implements, else null for the owner itself
     */
    private static Map.Entry<String, String[]> hook(String owner, String name, String desc, boolean isStatic,
            String hook, String receiverType) {
        String receiver = isStatic ? "" : "L" + (receiverType == null ? owner
                : "java/util/concurrent/locks/" + receiverType) + ";";
        String params = desc.substring(1, desc.indexOf(')'));
        String hookDesc = "(" + receiver + params + SITE + ")V";
        return Map.entry(owner + "." + name + desc, new String[] {hook, hookDesc});
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        this.line = line;
        super.visitLineNumber(line, start);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
        String[] h = HOOKED.get(owner + "." + name + desc);
        if (h == null) {
            super.visitMethodInsn(opcode, owner, name, desc, itf);
            return;
        }
        super.visitLdcInsn(file);
        super.visitLdcInsn(line);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, h[0], h[1], false);
    }
}
