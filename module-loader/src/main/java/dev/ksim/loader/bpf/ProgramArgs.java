package dev.ksim.loader.bpf;

import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.linux.KernelStruct;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * What {@code BPF_KPROBE} and {@code BPF_KRETPROBE} do for a Java program: each parameter after the
 * context is read from the probed function's argument registers (or, for a return probe, from the
 * return-value register) and converted to the parameter's type as C would: integers keep their low bits,
 * {@code boolean} is non-zero, a structure view is the pointer seen through that structure.
 */
final class ProgramArgs {
    private final MethodHandle program;
    private final Class<?>[] types;
    /** Per parameter after the context: a view's {@code (long)} constructor, else null. */
    private final MethodHandle[] views;
    private final boolean retprobe;

    private ProgramArgs(MethodHandle program, Class<?>[] types, MethodHandle[] views, boolean retprobe) {
        this.program = program;
        this.types = types;
        this.views = views;
        this.retprobe = retprobe;
    }

    /**
     * Checks a program method's signature.
     *
     * @param m the method
     * @param retprobe whether it is a kretprobe program
     * @return null if it is acceptable, else why not (libbpf-style)
     */
    static String signatureError(Method m, boolean retprobe) {
        if (!java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
            return "program must be a static method";
        }
        Class<?>[] p = m.getParameterTypes();
        if (p.length == 0 || p[0] != PtRegs.class) {
            return "the first parameter must be the context, PtRegs ctx";
        }
        if (m.getReturnType() != int.class && m.getReturnType() != long.class) {
            return "program must return int";
        }
        if (retprobe && p.length > 2) {
            return "BPF_KRETPROBE takes one value after the context, the return value";
        }
        for (int i = 1; i < p.length; i++) {
            if (!p[i].isPrimitive() && !KernelStruct.class.isAssignableFrom(p[i])) {
                return "parameter " + i + " has type " + p[i].getSimpleName()
                        + "; use an integer type or a dev.ksim.sdk.linux view";
            }
            if (p[i] == float.class || p[i] == double.class) {
                return "parameter " + i + " is floating point, which BPF does not have";
            }
        }
        return null;
    }

    /**
     * @param m a method whose signature {@link #signatureError} accepted
     * @param retprobe whether it is a kretprobe program
     * @return its argument conversion
     * @throws ReflectiveOperationException if the method or a view constructor cannot be reached
     */
    static ProgramArgs of(Method m, boolean retprobe) throws ReflectiveOperationException {
        m.setAccessible(true);
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        Class<?>[] p = m.getParameterTypes();
        MethodHandle[] views = new MethodHandle[p.length];
        for (int i = 1; i < p.length; i++) {
            if (KernelStruct.class.isAssignableFrom(p[i])) {
                views[i] = lookup.findConstructor(p[i], MethodType.methodType(void.class, long.class));
            }
        }
        MethodHandle h = lookup.unreflect(m).asSpreader(Object[].class, p.length);
        return new ProgramArgs(h, p, views, retprobe);
    }

    /**
     * Runs the program.
     *
     * @param regs the context
     * @return the program's return value
     * @throws Throwable whatever the program throws
     */
    long invoke(PtRegs regs) throws Throwable {
        Object[] args = new Object[types.length];
        args[0] = regs;
        for (int i = 1; i < types.length; i++) {
            long raw = retprobe ? regs.returnValue() : regs.kernelArgument(i - 1);
            args[i] = convert(i, raw);
        }
        Object r = program.invoke(args);
        return ((Number) r).longValue();
    }

    private Object convert(int i, long raw) throws Throwable {
        Class<?> t = types[i];
        if (views[i] != null) {
            return views[i].invoke(raw);
        }
        if (t == long.class) {
            return raw;
        }
        if (t == int.class) {
            return (int) raw;
        }
        if (t == short.class) {
            return (short) raw;
        }
        if (t == byte.class) {
            return (byte) raw;
        }
        if (t == char.class) {
            return (char) raw;
        }
        return raw != 0;
    }
}
