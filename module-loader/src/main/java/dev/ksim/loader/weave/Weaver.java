package dev.ksim.loader.weave;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.Attribute;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.jar.asm.TypePath;

/**
 * Weaves a module's classes when its class loader defines them, so that each of its methods is a probe
 * site of module text. Each method {@code m} keeps its name, annotations and signature and becomes a
 * wrapper; its original body moves, unchanged, to a private synthetic {@code m$ksim}. The wrapper does
 * what a compiled function's prologue and epilogue do on a simulated CPU:
 *
 * <pre>{@code
 * int st = Woven.enter(Owner.class, FN, a0, …);   // Cpu.enterWoven: the entry breakpoint may trap here
 * Object scope = Woven.bind(Owner.class);          // SDK calls from the body go through the module
 * if ((st & 3) == 2) return Woven.skipped(…);      // a handler redirected execution: the body is skipped
 * try { r = m$ksim(args); } catch (Throwable t) { Woven.thrown(st, scope); throw t; }
 * return Woven.exit(r, st, scope, Owner.class, FN);  // Cpu.exitWoven: a probe on ret may change r
 * }</pre>
 *
 * <p>Only the first six integral (or reference) arguments go into registers; references pass 0 (they
 * are not kernel addresses) and floating-point arguments none. Lambda bodies are synthetic and are not
 * module text; their wrapper only binds the module ({@code FN = -1}). Constructors and static
 * initialisers are left alone.
 */
public final class Weaver {
    /** Suffix of a method's moved body. */
    public static final String BODY_SUFFIX = "$ksim";
    private static final String WOVEN = Type.getInternalName(Woven.class);
    private static final String OBJECT = "java/lang/Object";

    private Weaver() {
    }

    /**
     * The woven classes and the module functions their wrappers refer to.
     *
     * @param classes woven class files by internal name
     * @param functions function names by the id the wrappers pass ({@code functions.get(FN)})
     */
    public record Result(Map<String, byte[]> classes, List<String> functions) {
    }

    /**
     * Weaves a module's classes.
     *
     * @param classes class files by internal name
     * @return the woven classes
     */
    public static Result weave(Map<String, byte[]> classes) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            ClassReader r = new ClassReader(e.getValue());
            ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
            r.accept(new ClassWeaver(w, ids), 0);
            out.put(e.getKey(), w.toByteArray());
        }
        return new Result(out, List.copyOf(ids.keySet()));
    }

    private static final class ClassWeaver extends ClassVisitor {
        private final Map<String, Integer> ids;
        private String owner;
        private boolean itf;

        ClassWeaver(ClassVisitor cv, Map<String, Integer> ids) {
            super(Opcodes.ASM9, cv);
            this.ids = ids;
        }

        /** {@code __FILE__} of the class: its package as a directory, then its source file. */
        private String sourcePath;

        @Override
        public void visitSource(String source, String debug) {
            int slash = owner.lastIndexOf('/');
            sourcePath = owner.substring(0, slash + 1) + source;
            super.visitSource(source, debug);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] ifs) {
            owner = name;
            int slash = name.lastIndexOf('/');
            String simple = name.substring(slash + 1);
            int dollar = simple.indexOf('$');
            sourcePath = name.substring(0, slash + 1) + (dollar < 0 ? simple : simple.substring(0, dollar)) + ".java";
            itf = (access & Opcodes.ACC_INTERFACE) != 0;
            super.visit(version, access, name, signature, superName, ifs);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
            boolean noCode = (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0;
            boolean synthetic = (access & Opcodes.ACC_SYNTHETIC) != 0;
            boolean lambda = synthetic && name.startsWith("lambda$");
            if (noCode || name.startsWith("<") || (access & Opcodes.ACC_BRIDGE) != 0 || (synthetic && !lambda)) {
                return super.visitMethod(access, name, desc, signature, exceptions);
            }
            int fn = lambda ? -1 : ids.computeIfAbsent(name, k -> ids.size());
            int wrapperAccess = access & ~Opcodes.ACC_SYNCHRONIZED;
            int bodyAccess = (access & (Opcodes.ACC_STATIC | Opcodes.ACC_STRICT | Opcodes.ACC_SYNCHRONIZED))
                    | Opcodes.ACC_PRIVATE | Opcodes.ACC_SYNTHETIC;
            MethodVisitor wrapper = super.visitMethod(wrapperAccess, name, desc, signature, exceptions);
            MethodVisitor body = new LoopPoll(new BlockingCallRewriter(
                    super.visitMethod(bodyAccess, name + BODY_SUFFIX, desc, signature, exceptions), sourcePath));
            return new Splitter(wrapper, body, () -> new WrapperCode(wrapper, owner, itf, access, name, desc, fn).emit());
        }
    }

    /** Sends a method's annotations to the wrapper and its code to the moved body. */
    private static final class Splitter extends MethodVisitor {
        private final MethodVisitor wrapper;
        private final Runnable emitWrapper;

        Splitter(MethodVisitor wrapper, MethodVisitor body, Runnable emitWrapper) {
            super(Opcodes.ASM9, body);
            this.wrapper = wrapper;
            this.emitWrapper = emitWrapper;
        }

        @Override
        public void visitParameter(String name, int access) {
            wrapper.visitParameter(name, access);
        }

        @Override
        public AnnotationVisitor visitAnnotationDefault() {
            return wrapper.visitAnnotationDefault();
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            return wrapper.visitAnnotation(descriptor, visible);
        }

        @Override
        public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
            return wrapper.visitTypeAnnotation(typeRef, typePath, descriptor, visible);
        }

        @Override
        public void visitAnnotableParameterCount(int parameterCount, boolean visible) {
            wrapper.visitAnnotableParameterCount(parameterCount, visible);
        }

        @Override
        public AnnotationVisitor visitParameterAnnotation(int parameter, String descriptor, boolean visible) {
            return wrapper.visitParameterAnnotation(parameter, descriptor, visible);
        }

        @Override
        public void visitAttribute(Attribute attribute) {
            super.visitAttribute(attribute);
        }

        @Override
        public void visitEnd() {
            super.visitEnd();
            emitWrapper.run();
        }
    }

    /** Generates one wrapper's code. */
    private static final class WrapperCode {
        private final MethodVisitor mv;
        private final String owner;
        private final boolean itf;
        private final boolean isStatic;
        private final String name;
        private final String desc;
        private final int fn;
        private final Type[] args;
        private final Type ret;

        WrapperCode(MethodVisitor mv, String owner, boolean itf, int access, String name, String desc, int fn) {
            this.mv = mv;
            this.owner = owner;
            this.itf = itf;
            this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
            this.name = name;
            this.desc = desc;
            this.fn = fn;
            this.args = Type.getArgumentTypes(desc);
            this.ret = Type.getReturnType(desc);
        }

        void emit() {
            Label body = new Label();
            Label tryStart = new Label();
            Label tryEnd = new Label();
            Label handler = new Label();
            mv.visitCode();
            mv.visitTryCatchBlock(tryStart, tryEnd, handler, null);

            int slot = isStatic ? 0 : 1;
            ownerAndFn();
            int passed = 0;
            for (Type t : args) {
                if (passed < 6 && t.getSort() != Type.FLOAT && t.getSort() != Type.DOUBLE) {
                    switch (t.getSort()) {
                        case Type.LONG -> mv.visitVarInsn(Opcodes.LLOAD, slot);
                        case Type.OBJECT, Type.ARRAY -> mv.visitInsn(Opcodes.LCONST_0);
                        default -> {
                            mv.visitVarInsn(Opcodes.ILOAD, slot);
                            mv.visitInsn(Opcodes.I2L);
                        }
                    }
                    passed++;
                }
                slot += t.getSize();
            }
            int st = slot;
            int scope = slot + 1;
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, WOVEN, "enter", "(Ljava/lang/Class;I" + "J".repeat(passed) + ")I",
                    false);
            mv.visitVarInsn(Opcodes.ISTORE, st);
            mv.visitLdcInsn(Type.getObjectType(owner));
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, WOVEN, "bind", "(Ljava/lang/Class;)Ljava/lang/Object;", false);
            mv.visitVarInsn(Opcodes.ASTORE, scope);

            mv.visitVarInsn(Opcodes.ILOAD, st);
            mv.visitInsn(Opcodes.ICONST_3);
            mv.visitInsn(Opcodes.IAND);
            mv.visitInsn(Opcodes.ICONST_2);
            mv.visitJumpInsn(Opcodes.IF_ICMPNE, body);
            mv.visitVarInsn(Opcodes.ILOAD, st);
            mv.visitVarInsn(Opcodes.ALOAD, scope);
            ownerAndFn();
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, WOVEN, "skipped", "(ILjava/lang/Object;Ljava/lang/Class;I)J", false);
            returnSkipped();

            Object[] locals = locals();
            mv.visitLabel(body);
            mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 0, new Object[0]);
            mv.visitLabel(tryStart);
            slot = 0;
            if (!isStatic) {
                mv.visitVarInsn(Opcodes.ALOAD, 0);
                slot = 1;
            }
            for (Type t : args) {
                mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                slot += t.getSize();
            }
            mv.visitMethodInsn(isStatic ? Opcodes.INVOKESTATIC : Opcodes.INVOKESPECIAL, owner, name + BODY_SUFFIX, desc,
                    itf);
            mv.visitLabel(tryEnd);
            returnNormally(st, scope);

            mv.visitLabel(handler);
            mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
            mv.visitVarInsn(Opcodes.ILOAD, st);
            mv.visitVarInsn(Opcodes.ALOAD, scope);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, WOVEN, "thrown", "(ILjava/lang/Object;)V", false);
            mv.visitInsn(Opcodes.ATHROW);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }

        private void ownerAndFn() {
            mv.visitLdcInsn(Type.getObjectType(owner));
            if (fn >= -1 && fn <= 5) {
                mv.visitInsn(Opcodes.ICONST_0 + fn);
            } else if (fn <= Short.MAX_VALUE) {
                mv.visitIntInsn(Opcodes.SIPUSH, fn);
            } else {
                mv.visitLdcInsn(fn);
            }
        }

        private Object[] locals() {
            List<Object> l = new ArrayList<>();
            if (!isStatic) {
                l.add(owner);
            }
            for (Type t : args) {
                l.add(frameType(t));
            }
            l.add(Opcodes.INTEGER);
            l.add(OBJECT);
            return l.toArray();
        }

        private static Object frameType(Type t) {
            return switch (t.getSort()) {
                case Type.BOOLEAN, Type.CHAR, Type.BYTE, Type.SHORT, Type.INT -> Opcodes.INTEGER;
                case Type.FLOAT -> Opcodes.FLOAT;
                case Type.LONG -> Opcodes.LONG;
                case Type.DOUBLE -> Opcodes.DOUBLE;
                case Type.ARRAY -> t.getDescriptor();
                default -> t.getInternalName();
            };
        }

        /** With the skipped call's long on the stack: returns it as the method's type. */
        private void returnSkipped() {
            switch (ret.getSort()) {
                case Type.VOID -> {
                    mv.visitInsn(Opcodes.POP2);
                    mv.visitInsn(Opcodes.RETURN);
                }
                case Type.LONG -> mv.visitInsn(Opcodes.LRETURN);
                case Type.FLOAT -> {
                    mv.visitInsn(Opcodes.POP2);
                    mv.visitInsn(Opcodes.FCONST_0);
                    mv.visitInsn(Opcodes.FRETURN);
                }
                case Type.DOUBLE -> {
                    mv.visitInsn(Opcodes.POP2);
                    mv.visitInsn(Opcodes.DCONST_0);
                    mv.visitInsn(Opcodes.DRETURN);
                }
                case Type.OBJECT, Type.ARRAY -> {
                    mv.visitInsn(Opcodes.POP2);
                    mv.visitInsn(Opcodes.ACONST_NULL);
                    mv.visitInsn(Opcodes.ARETURN);
                }
                default -> {
                    narrowFromLong();
                    mv.visitInsn(Opcodes.IRETURN);
                }
            }
        }

        private void narrowFromLong() {
            if (ret.getSort() == Type.BOOLEAN) {
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, WOVEN, "bool", "(J)Z", false);
                return;
            }
            mv.visitInsn(Opcodes.L2I);
            switch (ret.getSort()) {
                case Type.SHORT -> mv.visitInsn(Opcodes.I2S);
                case Type.BYTE -> mv.visitInsn(Opcodes.I2B);
                case Type.CHAR -> mv.visitInsn(Opcodes.I2C);
                default -> {
                }
            }
        }

        /** With the body's result on the stack: passes the epilogue and returns. */
        private void returnNormally(int st, int scope) {
            int sort = ret.getSort();
            boolean integral = sort == Type.BOOLEAN || sort == Type.CHAR || sort == Type.BYTE || sort == Type.SHORT
                    || sort == Type.INT;
            if (integral) {
                mv.visitInsn(Opcodes.I2L);
            } else if (sort != Type.LONG) {
                mv.visitInsn(Opcodes.LCONST_0);
            }
            mv.visitVarInsn(Opcodes.ILOAD, st);
            mv.visitVarInsn(Opcodes.ALOAD, scope);
            ownerAndFn();
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, WOVEN, "exit", "(JILjava/lang/Object;Ljava/lang/Class;I)J", false);
            if (integral) {
                narrowFromLong();
                mv.visitInsn(Opcodes.IRETURN);
            } else if (sort == Type.LONG) {
                mv.visitInsn(Opcodes.LRETURN);
            } else {
                mv.visitInsn(Opcodes.POP2);
                mv.visitInsn(ret.getOpcode(Opcodes.IRETURN));
            }
        }
    }
}
