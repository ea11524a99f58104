package dev.ksim.loader.params;

import dev.ksim.sdk.Errno;
import java.util.Locale;

/**
 * The kernel's {@code module_param} types ({@code kernel/params.c}): how each parses a value (its
 * {@code param_ops.set}), prints one (its {@code get}), and which Java field type holds it.
 * Unsigned types keep their bits in the signed Java type of the same width.
 */
public enum ParamType {
    /** {@code byte}: {@code unsigned char}, {@code kstrtou8}. */
    BYTE("byte", "B"),
    /** {@code short}: {@code kstrtos16}. */
    SHORT("short", "S"),
    /** {@code ushort}: {@code kstrtou16}. */
    USHORT("ushort", "S"),
    /** {@code int}: {@code kstrtoint}. */
    INT("int", "I"),
    /** {@code uint}: {@code kstrtouint}. */
    UINT("uint", "I"),
    /** {@code long}: {@code kstrtol}. */
    LONG("long", "J"),
    /** {@code ulong}: {@code kstrtoul}. */
    ULONG("ulong", "J"),
    /** {@code bool}: {@code kstrtobool}; a bare name means true. */
    BOOL("bool", "Z"),
    /** {@code invbool}: stores the inverse of what is written. */
    INVBOOL("invbool", "Z"),
    /** {@code charp}: a string of up to 1024 bytes. */
    CHARP("charp", "Ljava/lang/String;"),
    /** {@code string} ({@code module_param_string}): a string that fits a fixed buffer. */
    STRING("string", "Ljava/lang/String;");

    /** {@code charp} values longer than this fail with -ENOSPC. */
    public static final int CHARP_MAX = 1024;

    private final String kernelName;
    private final String fieldDescriptor;

    ParamType(String kernelName, String fieldDescriptor) {
        this.kernelName = kernelName;
        this.fieldDescriptor = fieldDescriptor;
    }

    /** @return the type's name as {@code modinfo} prints it ({@code parmtype}) */
    public String kernelName() {
        return kernelName;
    }

    /** @return the JVM descriptor of the field type that holds it */
    public String fieldDescriptor() {
        return fieldDescriptor;
    }

    /** @return whether the parameter may be given without a value ({@code KERNEL_PARAM_OPS_FL_NOARG}) */
    public boolean noArg() {
        return this == BOOL || this == INVBOOL;
    }

    /**
     * The type of a parameter field.
     *
     * @param declared the type named in {@code @ModuleParam(type = …)}, or empty
     * @param fieldDescriptor the field's descriptor
     * @param maxlen {@code @ModuleParam(maxlen = …)}
     * @return the type, or {@code null} if the declaration does not fit the field
     */
    public static ParamType of(String declared, String fieldDescriptor, int maxlen) {
        if (declared == null || declared.isEmpty()) {
            return switch (fieldDescriptor) {
                case "B" -> BYTE;
                case "S" -> SHORT;
                case "I" -> INT;
                case "J" -> LONG;
                case "Z" -> BOOL;
                case "Ljava/lang/String;" -> maxlen > 0 ? STRING : CHARP;
                default -> null;
            };
        }
        for (ParamType t : values()) {
            if (t.kernelName.equals(declared.toLowerCase(Locale.ROOT))) {
                if (!t.fieldDescriptor.equals(fieldDescriptor) || (t == STRING) != (maxlen > 0)) {
                    return null;
                }
                return t;
            }
        }
        return null;
    }

    /**
     * Parses a value as this type's {@code set} operation does (strings are checked by the caller).
     *
     * @param val the value, or {@code null} when the parameter was given without {@code =}
     * @return the Java value to store: a Byte, Short, Integer, Long, Boolean or String
     * @throws ParamException with the errno the kernel returns
     */
    public Object parse(String val) {
        if (val == null && !noArg()) {
            throw new ParamException(-Errno.EINVAL);
        }
        return switch (this) {
            case BYTE -> (byte) Kstrtox.unsigned(val, 8);
            case SHORT -> (short) Kstrtox.signed(val, 16);
            case USHORT -> (short) Kstrtox.unsigned(val, 16);
            case INT -> (int) Kstrtox.signed(val, 32);
            case UINT -> (int) Kstrtox.unsigned(val, 32);
            case LONG -> Kstrtox.signed(val, 64);
            case ULONG -> Kstrtox.unsigned(val, 64);
            case BOOL -> Kstrtox.kstrtobool(val == null ? "1" : val);
            case INVBOOL -> !Kstrtox.kstrtobool(val == null ? "1" : val);
            case CHARP, STRING -> val;
        };
    }

    /**
     * Prints a value as this type's {@code get} operation does, newline included.
     *
     * @param value the field's value
     * @return the text a read of the sysfs file returns
     */
    public String format(Object value) {
        return switch (this) {
            case BYTE -> Byte.toUnsignedInt((Byte) value) + "\n";
            case SHORT, INT, LONG -> value + "\n";
            case USHORT -> Short.toUnsignedInt((Short) value) + "\n";
            case UINT -> Integer.toUnsignedString((Integer) value) + "\n";
            case ULONG -> Long.toUnsignedString((Long) value) + "\n";
            case BOOL -> ((Boolean) value ? "Y" : "N") + "\n";
            case INVBOOL -> ((Boolean) value ? "N" : "Y") + "\n";
            case CHARP, STRING -> (value == null ? "(null)" : value) + "\n";
        };
    }
}
