package dev.ksim.kernel.mm;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One member of a {@link StructLayout}, as BTF describes it: name, byte offset, size and C type.
 *
 * <p>The type is C spelling, from which the accessors derive what a reader needs: {@code "pid_t"}
 * (scalar), {@code "struct cred *"} (pointer; {@link #pointee()} is {@code "cred"}), {@code "struct path"}
 * (embedded structure; {@link #embeddedStruct()} is {@code "path"}), {@code "char[16]"} (array;
 * {@link #arrayLength()} 16, {@link #elementType()} {@code "char"}), {@code "const char[]"} (flexible
 * array, length 0), {@code "struct file *[64]"} (array of pointers). Qualifiers are kept in
 * {@link #type()} and ignored by the accessors. Immutable.
 */
public final class StructMember {
    private static final Pattern ARRAY = Pattern.compile("^(.*?)\\s*\\[(\\d*)]$");
    private static final Pattern STRUCT = Pattern.compile("^(?:struct|union) (\\w+)$");

    private final String name;
    private final int offset;
    private final int size;
    private final String type;
    private final String element;
    private final int arrayLength;
    private final int pointerDepth;
    private final String structName;

    /**
     * @param name the member's name
     * @param offset its byte offset from the start of the structure (or of an outer structure, for a
     *     member resolved through a path by {@link StructLayouts#member})
     * @param size its size in bytes
     * @param type its C type
     */
    public StructMember(String name, int offset, int size, String type) {
        this.name = Objects.requireNonNull(name, "name");
        this.offset = offset;
        this.size = size;
        this.type = Objects.requireNonNull(type, "type");
        String t = CTypes.strip(type);
        Matcher m = ARRAY.matcher(t);
        if (m.matches()) {
            this.element = m.group(1);
            this.arrayLength = m.group(2).isEmpty() ? 0 : Integer.parseInt(m.group(2));
        } else {
            this.element = t;
            this.arrayLength = -1;
        }
        int depth = 0;
        String base = element;
        while (base.endsWith("*")) {
            depth++;
            base = base.substring(0, base.length() - 1).trim();
        }
        this.pointerDepth = depth;
        Matcher s = STRUCT.matcher(base);
        this.structName = s.matches() ? s.group(1) : null;
    }

    /** @return the member's name */
    public String name() {
        return name;
    }

    /** @return its byte offset */
    public int offset() {
        return offset;
    }

    /** @return its size in bytes */
    public int size() {
        return size;
    }

    /** @return its C type as written, e.g. {@code "const struct cred *"} */
    public String type() {
        return type;
    }

    /** @return true for a pointer (not an array of pointers) */
    public boolean isPointer() {
        return arrayLength < 0 && pointerDepth > 0;
    }

    /** @return the structure a pointer member points to ({@code "cred"} for {@code struct cred *}), or null */
    public String pointee() {
        return arrayLength < 0 && pointerDepth == 1 ? structName : null;
    }

    /** @return the structure embedded by value ({@code "path"} for {@code struct path}), or null */
    public String embeddedStruct() {
        return arrayLength < 0 && pointerDepth == 0 ? structName : null;
    }

    /** @return true for an array, including a flexible array member */
    public boolean isArray() {
        return arrayLength >= 0;
    }

    /** @return the number of elements; 0 for a flexible array; -1 if not an array */
    public int arrayLength() {
        return arrayLength;
    }

    /** @return the element type of an array, or the whole type without qualifiers otherwise */
    public String elementType() {
        return element;
    }

    /** @return true if the type (or element type) is a pointer */
    boolean elementIsPointer() {
        return pointerDepth > 0;
    }

    /** @return the structure named by the type or element type with pointers removed, or null */
    String baseStruct() {
        return structName;
    }

    /**
     * @param base the offset to add
     * @param qualifiedName the name to give the copy
     * @return this member moved by {@code base} bytes and renamed
     */
    StructMember relocate(int base, String qualifiedName) {
        return new StructMember(qualifiedName, offset + base, size, type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StructMember m && m.name.equals(name) && m.offset == offset && m.size == size
                && m.type.equals(type);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, offset, size, type);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s; /* 0x%x %d */", type, name, offset, size);
    }
}
