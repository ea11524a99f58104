package dev.ksim.loader.bpf;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/** The bytecode of a BPF object's classes, method by method, as the verifier reads it. */
final class ProgramCode {
    /** Internal names of the object's classes. */
    final Set<String> classes;
    /** Every method, by {@code owner.name+desc}. */
    final Map<String, MethodCode> methods = new LinkedHashMap<>();
    /** Compile-time constants of static fields ({@code ConstantValue}), by {@code owner.name}. */
    final Map<String, Object> constants = new LinkedHashMap<>();
    /** Methods declared {@code synchronized}, by key. */
    final Set<String> synchronizedMethods = new HashSet<>();

    /** @param classFiles the class files by internal name */
    ProgramCode(Map<String, byte[]> classFiles) {
        this.classes = Set.copyOf(classFiles.keySet());
        for (Map.Entry<String, byte[]> e : classFiles.entrySet()) {
            new ClassReader(e.getValue()).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public net.bytebuddy.jar.asm.FieldVisitor visitField(int access, String name, String desc, String sig,
                        Object value) {
                    if (value != null) {
                        constants.put(e.getKey() + "." + name, value);
                    }
                    return null;
                }

                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exc) {
                    MethodCode m = new MethodCode(e.getKey(), name, desc, (access & Opcodes.ACC_STATIC) != 0);
                    methods.put(m.key(), m);
                    if ((access & Opcodes.ACC_SYNCHRONIZED) != 0) {
                        synchronizedMethods.add(m.key());
                    }
                    return m;
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        }
    }
}
