package dev.ksim.loader.bpf;

import dev.ksim.kernel.SimKernel;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.bpf.BpfMap;
import dev.ksim.sdk.bpf.SEC;
import dev.ksim.sdk.spi.KernelBinding;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * libbpf's map creation for an object: runs its classes' static initializers (bound to the kernel, so per-CPU
 * maps see its CPUs), which construct the maps, and checks each {@code @SEC(".maps")} field as
 * {@code map_create()} checks a definition.
 *
 * @param names the maps' names (their fields'), in declaration order
 * @param maps the maps
 * @param err 0, or the errno that stopped creation (the reason is in the libbpf log)
 */
record ObjectMaps(List<String> names, List<BpfMap> maps, int err) {

    /**
     * @param k the kernel
     * @param classes the object's classes, defined but not initialized
     * @param libbpf receives libbpf's messages
     * @return the maps, or the error
     */
    static ObjectMaps create(SimKernel k, List<Class<?>> classes, StringBuilder libbpf) {
        List<String> names = new ArrayList<>();
        List<BpfMap> maps = new ArrayList<>();
        try (KernelBinding.Scope s = KernelBinding.bind(k)) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c : classes) {
                Class.forName(c.getName(), true, c.getClassLoader());
                for (Field f : c.getDeclaredFields()) {
                    SEC sec = f.getAnnotation(SEC.class);
                    if (sec != null && sec.value().equals(".maps")) {
                        fields.add(f);
                    }
                }
            }
            for (Field f : fields) {
                if (!Modifier.isStatic(f.getModifiers()) || !BpfMap.class.isAssignableFrom(f.getType())) {
                    libbpf.append("libbpf: map '").append(f.getName())
                            .append("': a @SEC(\".maps\") field must be a static BpfMap\n");
                    return new ObjectMaps(names, maps, -Errno.EINVAL);
                }
                f.setAccessible(true);
                BpfMap m = (BpfMap) f.get(null);
                int e = m == null ? -Errno.EINVAL : m.createError();
                if (e < 0) {
                    libbpf.append("libbpf: map '").append(f.getName()).append("': failed to create: ")
                            .append(Errno.strerror(e)).append('(').append(e).append(")\n");
                    return new ObjectMaps(names, maps, e);
                }
                names.add(f.getName());
                maps.add(m);
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e instanceof ExceptionInInitializerError ei && ei.getCause() != null ? ei.getCause() : e;
            libbpf.append("libbpf: failed to open object: ").append(cause).append('\n');
            return new ObjectMaps(names, maps, -Errno.EINVAL);
        }
        return new ObjectMaps(names, maps, 0);
    }
}
