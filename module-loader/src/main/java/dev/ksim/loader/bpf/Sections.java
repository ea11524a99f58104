package dev.ksim.loader.bpf;

import dev.ksim.sdk.Errno;
import dev.ksim.sdk.bpf.BpfMap;
import dev.ksim.sdk.bpf.SEC;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What libbpf's {@code bpf_object__open()} reads from an object's sections: its programs
 * ({@code kprobe/…}, {@code kretprobe/…}) with their attach points and argument conversions, and its
 * license. Errors are written as libbpf words them.
 */
final class Sections {
    private Sections() {
    }

    /** A program found in the object, before it is loaded. */
    record ProgramSpec(String owner, String key, String name, String section, String target, long offset,
            boolean retprobe, ProgramArgs args) {
    }

    /** Finds the {@code @SEC} programs, in declaration order; returns 0 or the first error. */
    static int programs(ProgramCode code, List<Class<?>> classes, List<ProgramSpec> out, StringBuilder libbpf) {
        Map<String, Method> byKey = new LinkedHashMap<>();
        for (Class<?> c : classes) {
            for (Method m : c.getDeclaredMethods()) {
                byKey.put(c.getName().replace('.', '/') + "." + m.getName()
                        + net.bytebuddy.jar.asm.Type.getMethodDescriptor(m), m);
            }
        }
        for (MethodCode mc : code.methods.values()) {
            Method m = byKey.get(mc.key());
            SEC sec = m == null ? null : m.getAnnotation(SEC.class);
            if (sec == null) {
                continue;
            }
            String name = m.getName().length() >= BpfMap.BPF_OBJ_NAME_LEN
                    ? m.getName().substring(0, BpfMap.BPF_OBJ_NAME_LEN - 1) : m.getName();
            String s = sec.value();
            boolean ret = s.startsWith("kretprobe/");
            if (!ret && !s.startsWith("kprobe/")) {
                libbpf.append("libbpf: prog '").append(name).append("': missing BPF prog type, check ELF section name '")
                        .append(s).append("'\n");
                return -Errno.EINVAL;
            }
            String func = s.substring(s.indexOf('/') + 1);
            long offset = 0;
            int plus = func.indexOf('+');
            if (plus >= 0) {
                try {
                    offset = Long.decode(func.substring(plus + 1));
                } catch (NumberFormatException e) {
                    offset = -1;
                }
                func = func.substring(0, plus);
                if (ret || offset < 0) {
                    libbpf.append("libbpf: prog '").append(name).append("': invalid format of section definition '")
                            .append(s).append("'\n");
                    return -Errno.EINVAL;
                }
            }
            if (func.isEmpty()) {
                libbpf.append("libbpf: prog '").append(name).append("': invalid format of section definition '")
                        .append(s).append("'\n");
                return -Errno.EINVAL;
            }
            String bad = ProgramArgs.signatureError(m, ret);
            if (bad != null) {
                libbpf.append("libbpf: prog '").append(name).append("': ").append(bad).append('\n');
                return -Errno.EINVAL;
            }
            try {
                out.add(new ProgramSpec(mc.owner, mc.key(), name, s, func, offset, ret, ProgramArgs.of(m, ret)));
            } catch (ReflectiveOperationException e) {
                libbpf.append("libbpf: prog '").append(name).append("': ").append(e).append('\n');
                return -Errno.EINVAL;
            }
        }
        return 0;
    }

    /** The {@code @SEC("license")} constant, or "" if there is none. */
    static String license(ProgramCode code, List<Class<?>> classes) {
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                SEC sec = f.getAnnotation(SEC.class);
                if (sec != null && sec.value().equals("license")) {
                    Object v = code.constants.get(c.getName().replace('.', '/') + "." + f.getName());
                    return v instanceof String s ? s : "";
                }
            }
        }
        return "";
    }

    /** {@code license_is_gpl_compatible()}, as modules have it. */
    static boolean gplCompatible(String license) {
        return new dev.ksim.loader.image.ModuleMeta(license, null, null, null, List.of()).gplCompatible();
    }

}
