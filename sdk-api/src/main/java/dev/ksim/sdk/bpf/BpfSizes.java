package dev.ksim.sdk.bpf;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;

/**
 * The C sizes of the Java values maps and ring buffers hold: a boxed number is its C type
 * ({@code Integer} is {@code int}, 4 bytes), a record is a {@code struct} of its components with natural
 * alignment, a {@code byte[]} or {@code String} is a {@code char[]} of its length (plus the NUL).
 */
public final class BpfSizes {
    private BpfSizes() {
    }

    /**
     * @param type a key or value type
     * @return its size in bytes, or -1 if values of the type may have different sizes (arrays, strings)
     */
    public static int sizeof(Class<?> type) {
        int s = scalar(type);
        if (s > 0) {
            return s;
        }
        return type.isRecord() ? structSize(type, c -> sizeof(c.getType())) : -1;
    }

    /**
     * @param value a value to store
     * @return its size in bytes: the type's size, or for arrays and strings their length
     */
    public static int sizeof(Object value) {
        if (value instanceof byte[] b) {
            return b.length;
        }
        if (value instanceof String str) {
            return str.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        if (value != null && value.getClass().isRecord()) {
            return structSize(value.getClass(), c -> {
                if (c.getType().isPrimitive()) {
                    return scalar(c.getType());
                }
                try {
                    c.getAccessor().setAccessible(true);
                    return sizeof(c.getAccessor().invoke(value));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        return value == null ? 0 : Math.max(sizeof(value.getClass()), 0);
    }

    /** A struct of the record's components in order, each aligned naturally; -1 if a component has no size. */
    private static int structSize(Class<?> record, java.util.function.ToIntFunction<RecordComponent> componentSize) {
        int size = 0;
        int align = 1;
        for (RecordComponent c : record.getRecordComponents()) {
            int cs = componentSize.applyAsInt(c);
            if (cs < 0) {
                return -1;
            }
            int a = alignOf(c.getType());
            size = roundUp(size, a) + cs;
            align = Math.max(align, a);
        }
        return roundUp(size, align);
    }

    private static int scalar(Class<?> t) {
        if (t == byte.class || t == Byte.class || t == boolean.class || t == Boolean.class) {
            return 1;
        }
        if (t == short.class || t == Short.class || t == char.class || t == Character.class) {
            return 2;
        }
        if (t == int.class || t == Integer.class || t == float.class || t == Float.class) {
            return 4;
        }
        if (t == long.class || t == Long.class || t == double.class || t == Double.class) {
            return 8;
        }
        return -1;
    }

    private static int alignOf(Class<?> t) {
        int s = scalar(t);
        if (s > 0) {
            return s;
        }
        if (t.isRecord()) {
            int a = 1;
            for (RecordComponent c : t.getRecordComponents()) {
                a = Math.max(a, alignOf(c.getType()));
            }
            return a;
        }
        return 1;
    }

    /** @param n a size @param a a power of two @return n rounded up to a multiple of a */
    static int roundUp(int n, int a) {
        return (n + a - 1) & -a;
    }
}
