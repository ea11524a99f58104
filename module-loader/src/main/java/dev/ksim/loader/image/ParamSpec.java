package dev.ksim.loader.image;

import dev.ksim.loader.params.ParamType;

/**
 * One module parameter as declared by an {@code @ModuleParam} field: what {@code modinfo} lists as
 * {@code parm:} and what {@code insmod name=value} and {@code /sys/module/<m>/parameters/<name>} set.
 *
 * @param name the parameter's name
 * @param type its kernel type
 * @param perm its sysfs permission bits (0: not in sysfs)
 * @param description {@code MODULE_PARM_DESC}, or empty
 * @param maxlen for {@code string}: the buffer size including the NUL; otherwise 0
 * @param field the Java field holding it
 * @param fieldDescriptor the field's JVM type descriptor, e.g. {@code I} or {@code Ljava/lang/String;}
 */
public record ParamSpec(String name, ParamType type, int perm, String description, int maxlen, String field,
        String fieldDescriptor) {
}
