package dev.ksim.kernel.trace;

/**
 * A fetch argument's type ({@code probe_fetch_types[]} in {@code kernel/trace/trace_probe.c}): its name, size in
 * the record, and how {@code trace} prints it. Kernels before 4.17 print the unsigned types in hex and have no
 * {@code x}, {@code symbol} or {@code ustring} types.
 *
 * @param name the type's name ({@code u32}, {@code x64}, {@code string} …)
 * @param size its size in the record (a string is a 4-byte {@code __data_loc})
 * @param kind how it is stored and printed
 */
record FetchType(String name, int size, Kind kind) {
    /** How a type is stored and printed. */
    enum Kind { UNSIGNED, SIGNED, HEX, SYMBOL, STRING, USTRING }

    /**
     * {@code find_fetch_type()}: a type by name; a bitfield {@code b<w>@<o>/<container>} takes its container's
     * unsigned type.
     *
     * @param type the name, or null for the default ({@code x64}; {@code u64} before 4.17)
     * @param legacy whether the kernel predates the 4.17 type table
     * @return the type, or null if unknown
     */
    static FetchType find(String type, boolean legacy) {
        if (type == null) {
            type = legacy ? "u64" : "x64";
        }
        if (type.startsWith("b")) {
            int slash = type.indexOf('/');
            if (slash < 0) {
                return null;
            }
            Long bs = Kstrto.ul(type.substring(slash + 1));
            if (bs == null || (bs != 8 && bs != 16 && bs != 32 && bs != 64)) {
                return null;
            }
            return find("u" + bs, legacy);
        }
        switch (type) {
            case "string":
                return new FetchType("string", 4, Kind.STRING);
            case "ustring":
                return legacy ? null : new FetchType("ustring", 4, Kind.USTRING);
            case "symbol":
                return legacy ? null : new FetchType("symbol", 8, Kind.SYMBOL);
            default:
                break;
        }
        if (type.length() < 2) {
            return null;
        }
        char c = type.charAt(0);
        int bits;
        switch (type.substring(1)) {
            case "8" -> bits = 8;
            case "16" -> bits = 16;
            case "32" -> bits = 32;
            case "64" -> bits = 64;
            default -> {
                return null;
            }
        }
        return switch (c) {
            case 'u' -> new FetchType(type, bits / 8, Kind.UNSIGNED);
            case 's' -> new FetchType(type, bits / 8, Kind.SIGNED);
            case 'x' -> legacy ? null : new FetchType(type, bits / 8, Kind.HEX);
            default -> null;
        };
    }

    /** @return whether values of this type are strings ({@code __data_loc char[]}) */
    boolean isString() {
        return kind == Kind.STRING || kind == Kind.USTRING;
    }

    /** @return the field type in the event's {@code format} file */
    String fieldType() {
        return switch (kind) {
            case STRING, USTRING -> "__data_loc char[]";
            case SIGNED -> "s" + size * 8;
            default -> "u" + size * 8;
        };
    }

    /** @return whether the format file marks the field signed */
    boolean signed() {
        return kind == Kind.SIGNED;
    }

    /**
     * @param legacy a kernel before 4.17
     * @return the printf format of the {@code print fmt} line
     */
    String printFormat(boolean legacy) {
        String l = size == 8 ? "L" : "";
        return switch (kind) {
            case UNSIGNED -> legacy ? "0x%" + l + "x" : "%" + l + "u";
            case SIGNED -> "%" + l + "d";
            case HEX -> "0x%" + l + "x";
            case SYMBOL -> "%pS";
            case STRING, USTRING -> "\\\"%s\\\"";
        };
    }

    /**
     * Prints a fetched number as the type's print function does.
     *
     * @param raw the value (only the type's size counts)
     * @param legacy a kernel before 4.17
     * @param symbols resolves {@code %pS}
     * @return the text
     */
    String print(long raw, boolean legacy, java.util.function.LongFunction<String> symbols) {
        long v = size == 8 ? raw : raw & ((1L << (size * 8)) - 1);
        return switch (kind) {
            case UNSIGNED -> legacy ? "0x" + Long.toHexString(v) : Long.toUnsignedString(v);
            case SIGNED -> Long.toString(size == 8 ? v : (v << (64 - size * 8)) >> (64 - size * 8));
            case HEX -> "0x" + Long.toHexString(v);
            case SYMBOL -> symbols.apply(v);
            case STRING, USTRING -> throw new IllegalStateException("strings are not numbers");
        };
    }
}
