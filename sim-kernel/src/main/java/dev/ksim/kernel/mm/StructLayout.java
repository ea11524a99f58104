package dev.ksim.kernel.mm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of one structure in one kernel build: its size, alignment and the members the simulator
 * knows, sorted by offset. Members not listed still occupy their bytes (the gaps between listed members),
 * exactly as a partial {@code pahole} listing would show. Immutable.
 */
public final class StructLayout {
    private final String name;
    private final int size;
    private final int align;
    private final List<StructMember> members;
    private final Map<String, StructMember> byName;

    StructLayout(String name, int size, int align, List<StructMember> members) {
        this.name = name;
        this.size = size;
        this.align = align;
        List<StructMember> sorted = new java.util.ArrayList<>(members);
        sorted.sort((a, b) -> Integer.compare(a.offset(), b.offset()));
        this.members = Collections.unmodifiableList(sorted);
        Map<String, StructMember> m = new LinkedHashMap<>();
        for (StructMember sm : sorted) {
            if (m.put(sm.name(), sm) != null) {
                throw new IllegalArgumentException("struct " + name + ": duplicate member " + sm.name());
            }
        }
        this.byName = Collections.unmodifiableMap(m);
    }

    /** @return the structure's name without {@code struct}, e.g. {@code "task_struct"} */
    public String name() {
        return name;
    }

    /** @return {@code sizeof(struct name)} */
    public int size() {
        return size;
    }

    /** @return {@code _Alignof(struct name)} */
    public int align() {
        return align;
    }

    /** @return the known members, by increasing offset */
    public List<StructMember> members() {
        return members;
    }

    /**
     * @param member a direct member's name (no path)
     * @return the member, or null
     */
    public StructMember member(String member) {
        return byName.get(member);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("struct ").append(name).append(" {\n");
        for (StructMember m : members) {
            s.append('\t').append(m).append('\n');
        }
        return s.append("}; /* size ").append(size).append(", align ").append(align).append(" */").toString();
    }
}
