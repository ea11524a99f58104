package dev.ksim.loader.params;

import dev.ksim.loader.image.ParamSpec;
import dev.ksim.sdk.Errno;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * A parameter bound to a module instance's field: {@code kernel_param} with its ops. Setting it follows
 * the type's {@code set} operation, messages included; reading it follows {@code get}. Sets and reads
 * are serialised per parameter ({@code kernel_param_lock}).
 */
public final class BoundParam {
    private final ParamSpec spec;
    private final Field field;
    private final Object instance;

    /**
     * @param spec the declaration
     * @param instance the module instance
     * @throws IllegalArgumentException if the module has no such field
     */
    public BoundParam(ParamSpec spec, Object instance) {
        this.spec = spec;
        this.instance = instance;
        try {
            Field f = instance.getClass().getDeclaredField(spec.field());
            f.setAccessible(true);
            this.field = f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("no field " + spec.field() + " in " + instance.getClass().getName(), e);
        }
    }

    /** @return the declaration */
    public ParamSpec spec() {
        return spec;
    }

    /**
     * Sets the parameter as the kernel's {@code param_ops.set} does.
     *
     * @param val the value, or {@code null} for a bare name
     * @param printk where the type's own error lines go ({@code format, args})
     * @return 0 or a negative errno
     */
    public synchronized int set(String val, BiConsumer<String, Object[]> printk) {
        ParamType t = spec.type();
        if (val != null && t == ParamType.STRING && bytes(val) + 1 > spec.maxlen()) {
            printk.accept("\0013%s: string doesn't fit in %u chars.\n", new Object[] {spec.name(), spec.maxlen() - 1});
            return -Errno.ENOSPC;
        }
        if (val != null && t == ParamType.CHARP && bytes(val) > ParamType.CHARP_MAX) {
            printk.accept("\0013%s: string parameter too long\n", new Object[] {spec.name()});
            return -Errno.ENOSPC;
        }
        try {
            Object v = t.parse(val);
            field.set(instance, v);
            return 0;
        } catch (ParamException e) {
            return e.errno;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the value as the type's {@code get} prints it */
    public synchronized String get() {
        try {
            return spec.type().format(field.get(instance));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
