package dev.ksim.loader.image;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * What one class file declares, read with ASM and never loaded: its name and supertypes, its methods,
 * and the module annotations ({@code @ModuleInfo} on the class, {@code @ModuleParam} on fields).
 *
 * @param name the internal name, e.g. {@code dev/ksim/samples/kprobes/KprobeExample}
 * @param access the class's access flags
 * @param superName the superclass's internal name ({@code null} for {@code java/lang/Object})
 * @param interfaces the directly implemented interfaces
 * @param methods the declared methods as {@code name + descriptor}
 * @param moduleInfo the {@code @ModuleInfo} values set explicitly, or {@code null} if absent
 * @param params the {@code @ModuleParam} fields: each annotation's explicit values plus
 *        {@code "#field"} and {@code "#desc"} (the field's name and descriptor)
 * @param hasPublicNoArgConstructor whether {@code public <init>()V} is declared
 */
public record ClassFacts(String name, int access, String superName, List<String> interfaces, Set<String> methods,
        Map<String, Object> moduleInfo, List<Map<String, Object>> params, boolean hasPublicNoArgConstructor) {
    /** Internal name of {@code dev.ksim.sdk.KernelModule}. */
    public static final String KERNEL_MODULE = "dev/ksim/sdk/KernelModule";
    private static final String MODULE_INFO = "Ldev/ksim/sdk/ModuleInfo;";
    private static final String MODULE_PARAM = "Ldev/ksim/sdk/ModuleParam;";

    /**
     * Reads a class file.
     *
     * @param bytes the class file
     * @return its facts
     * @throws IllegalArgumentException if the bytes are not a class file ASM can read
     */
    public static ClassFacts read(byte[] bytes) {
        Collector c = new Collector();
        try {
            new ClassReader(bytes).accept(c, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a class file: " + e, e);
        }
        return new ClassFacts(c.name, c.access, c.superName, c.interfaces, Set.copyOf(c.methods), c.moduleInfo,
                List.copyOf(c.params), c.publicNoArg);
    }

    /** @return whether the class is public */
    public boolean isPublic() {
        return (access & Opcodes.ACC_PUBLIC) != 0;
    }

    /** @return whether it is a concrete class that implements {@code KernelModule} directly */
    public boolean isModuleClass() {
        return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_INTERFACE)) == 0 && interfaces.contains(KERNEL_MODULE);
    }

    /** @return the binary name ({@code a.b.C$D}) */
    public String binaryName() {
        return name.replace('/', '.');
    }

    private static final class Collector extends ClassVisitor {
        String name;
        int access;
        String superName;
        List<String> interfaces = List.of();
        final List<String> methods = new ArrayList<>();
        Map<String, Object> moduleInfo;
        final List<Map<String, Object>> params = new ArrayList<>();
        boolean publicNoArg;

        Collector() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] ifs) {
            this.name = name;
            this.access = access;
            this.superName = superName;
            this.interfaces = ifs == null ? List.of() : List.of(ifs);
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            if (!MODULE_INFO.equals(descriptor)) {
                return null;
            }
            moduleInfo = new HashMap<>();
            return new Values(moduleInfo);
        }

        @Override
        public FieldVisitor visitField(int acc, String fieldName, String descriptor, String signature, Object value) {
            return new FieldVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                    if (!MODULE_PARAM.equals(annotation)) {
                        return null;
                    }
                    Map<String, Object> values = new HashMap<>();
                    values.put("#field", fieldName);
                    values.put("#desc", descriptor);
                    values.put("#access", acc);
                    params.add(values);
                    return new Values(values);
                }
            };
        }

        @Override
        public MethodVisitor visitMethod(int acc, String methodName, String descriptor, String signature,
                String[] exceptions) {
            methods.add(methodName + descriptor);
            if (methodName.equals("<init>") && descriptor.equals("()V") && (acc & Opcodes.ACC_PUBLIC) != 0) {
                publicNoArg = true;
            }
            return null;
        }
    }

    /** Collects an annotation's explicitly set primitive and string values. */
    private static final class Values extends AnnotationVisitor {
        private final Map<String, Object> into;

        Values(Map<String, Object> into) {
            super(Opcodes.ASM9);
            this.into = into;
        }

        @Override
        public void visit(String key, Object value) {
            into.put(key, value);
        }
    }
}
