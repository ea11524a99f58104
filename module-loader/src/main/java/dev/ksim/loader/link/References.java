package dev.ksim.loader.link;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ConstantDynamic;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Everything one class file links against: the classes it names (supertypes, field and method types,
 * instructions, constants, exception handlers) and the fields and methods it uses, in the order they
 * appear. Generic signatures and debug information are not linked and are not collected.
 *
 * @param owner the class's internal name
 * @param superName its superclass
 * @param classes every class it names, arrays unwrapped, in order of first appearance
 * @param members every field and method it uses, in order of first appearance
 * @param bootstraps the bootstrap methods of its {@code invokedynamic} and dynamic constants
 */
public record References(String owner, String superName, Set<String> classes, List<Member> members,
        List<Member> bootstraps) {

    /**
     * A field or method reference.
     *
     * @param owner the class it is looked up in
     * @param name the member's name
     * @param descriptor its descriptor
     * @param method true for a method, false for a field
     */
    public record Member(String owner, String name, String descriptor, boolean method) {
    }

    /**
     * Scans a class file.
     *
     * @param bytes the class file
     * @return what it references
     */
    public static References scan(byte[] bytes) {
        Scanner s = new Scanner();
        new ClassReader(bytes).accept(s, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return new References(s.owner, s.superName, s.classes, List.copyOf(new LinkedHashSet<>(s.members)),
                List.copyOf(new LinkedHashSet<>(s.bootstraps)));
    }

    private static final class Scanner extends ClassVisitor {
        String owner;
        String superName;
        final Set<String> classes = new LinkedHashSet<>();
        final List<Member> members = new ArrayList<>();
        final List<Member> bootstraps = new ArrayList<>();

        Scanner() {
            super(Opcodes.ASM9);
        }

        void internal(String name) {
            if (name == null) {
                return;
            }
            if (name.startsWith("[")) {
                type(Type.getType(name));
            } else {
                classes.add(name);
            }
        }

        void type(Type t) {
            switch (t.getSort()) {
                case Type.ARRAY -> type(t.getElementType());
                case Type.OBJECT -> classes.add(t.getInternalName());
                case Type.METHOD -> {
                    type(t.getReturnType());
                    for (Type a : t.getArgumentTypes()) {
                        type(a);
                    }
                }
                default -> {
                }
            }
        }

        void descriptor(String d) {
            type(d.startsWith("(") ? Type.getMethodType(d) : Type.getType(d));
        }

        void member(String memberOwner, String name, String desc, boolean method) {
            internal(memberOwner);
            descriptor(desc);
            members.add(new Member(memberOwner, name, desc, method));
        }

        void constant(Object c) {
            if (c instanceof Type t) {
                type(t);
            } else if (c instanceof Handle h) {
                handle(h);
            } else if (c instanceof ConstantDynamic cd) {
                descriptor(cd.getDescriptor());
                bootstrap(cd.getBootstrapMethod());
                for (int i = 0; i < cd.getBootstrapMethodArgumentCount(); i++) {
                    constant(cd.getBootstrapMethodArgument(i));
                }
            }
        }

        void handle(Handle h) {
            boolean method = h.getTag() >= Opcodes.H_INVOKEVIRTUAL;
            member(h.getOwner(), h.getName(), h.getDesc(), method);
        }

        /** A bootstrap method's own descriptor names java.lang.invoke types: it is checked by owner and name. */
        void bootstrap(Handle h) {
            bootstraps.add(new Member(h.getOwner(), h.getName(), h.getDesc(), true));
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] ifs) {
            this.owner = name;
            this.superName = superName;
            internal(superName);
            if (ifs != null) {
                for (String i : ifs) {
                    internal(i);
                }
            }
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            descriptor(descriptor);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            descriptor(descriptor);
            if (exceptions != null) {
                for (String e : exceptions) {
                    internal(e);
                }
            }
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitTypeInsn(int opcode, String type) {
                    internal(type);
                }

                @Override
                public void visitFieldInsn(int opcode, String fieldOwner, String name, String desc) {
                    member(fieldOwner, name, desc, false);
                }

                @Override
                public void visitMethodInsn(int opcode, String methodOwner, String name, String desc, boolean itf) {
                    member(methodOwner, name, desc, true);
                }

                @Override
                public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
                    descriptor(desc);
                    bootstrap(bsm);
                    for (Object a : args) {
                        constant(a);
                    }
                }

                @Override
                public void visitLdcInsn(Object value) {
                    constant(value);
                }

                @Override
                public void visitMultiANewArrayInsn(String desc, int dims) {
                    descriptor(desc);
                }

                @Override
                public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                    internal(type);
                }
            };
        }
    }
}
