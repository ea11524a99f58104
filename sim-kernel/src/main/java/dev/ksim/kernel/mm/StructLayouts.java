package dev.ksim.kernel.mm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The structure layouts of one kernel build, like its BTF: what {@code offsetof(struct S, member)}
 * answers in that kernel. Modules read structures by member name through these layouts, so a module
 * runs unchanged on kernel profiles whose layouts differ; a profile is just another instance.
 *
 * <p>Shipped profiles: {@link #x86_64_v6()} and {@link #arm64_v6()}. A member path may name members of
 * embedded structures with dots, as {@code offsetof} allows: {@code offsetof("file", "f_path.dentry")}.
 *
 * <p>Instances are immutable and safe to share between threads and kernels. {@link #check()} verifies
 * that a profile is self-consistent (sizes match types, members are aligned, in bounds and
 * non-overlapping); the builder does not, so that broken profiles can be examined.
 */
public final class StructLayouts {
    private final String profile;
    private final Map<String, StructLayout> structs;

    private StructLayouts(String profile, Map<String, StructLayout> structs) {
        this.profile = profile;
        this.structs = Collections.unmodifiableMap(structs);
    }

    /**
     * The x86_64 layouts of a 6.1-era distribution kernel ({@code CONFIG_SMP}, {@code PREEMPT_RCU},
     * {@code SCHED_CORE}, {@code NR_CPUS=8192}, audit, keys, memcg): offsets were worked out by hand from
     * the 6.1 headers, member by member, so they are consistent and close to a real build but not
     * guaranteed bit-exact for any particular {@code .config}. See {@code X86_64V6} for the per-structure
     * notes, including {@code request_queue.backing_dev_info}, which 6.x no longer has.
     *
     * @return the shared instance
     */
    public static StructLayouts x86_64_v6() {
        return Profiles.X86_64;
    }

    /**
     * The arm64 layouts: the same offsets as {@link #x86_64_v6()}. Both are LP64 with natural alignment,
     * so every structure here whose members do not depend on the architecture lays out identically; the
     * architecture-dependent parts ({@code thread_info} and {@code thread_struct} inside
     * {@code task_struct}) differ in a real arm64 build and are simplified here.
     *
     * @return the shared instance
     */
    public static StructLayouts arm64_v6() {
        return Profiles.ARM64;
    }

    /** Lazily built shared profiles. */
    private static final class Profiles {
        static final StructLayouts X86_64 = X86_64V6.define(builder("x86_64-6.1")).build();
        static final StructLayouts ARM64 = X86_64V6.define(builder("aarch64-6.1")).build();
    }

    /**
     * @param profile the profile's name, e.g. {@code "x86_64-6.1"}
     * @return a builder for a new profile
     */
    public static Builder builder(String profile) {
        return new Builder(profile);
    }

    /** @return the profile's name */
    public String profile() {
        return profile;
    }

    /** @return the names of all structures */
    public Set<String> names() {
        return structs.keySet();
    }

    /**
     * @param struct a structure's name without {@code struct}
     * @return its layout, or null
     */
    public StructLayout get(String struct) {
        return structs.get(struct);
    }

    /**
     * @param struct a structure's name
     * @return its layout
     * @throws IllegalArgumentException if this kernel has no such structure
     */
    public StructLayout require(String struct) {
        StructLayout l = structs.get(struct);
        if (l == null) {
            throw new IllegalArgumentException("no struct " + struct + " in profile " + profile);
        }
        return l;
    }

    /**
     * @param struct a structure's name
     * @return {@code sizeof(struct S)}, or -1 if unknown
     */
    public int sizeof(String struct) {
        StructLayout l = structs.get(struct);
        return l == null ? -1 : l.size();
    }

    /**
     * Resolves a member path: what {@code KernelServices.offsetof} answers.
     *
     * @param struct a structure's name, e.g. {@code "file"}
     * @param path a member, or a dotted path through embedded structures, e.g. {@code "f_path.dentry"}
     * @return the byte offset, or -1 if the structure or a member does not exist
     */
    public long offsetof(String struct, String path) {
        StructMember m = member(struct, path);
        return m == null ? -1 : m.offset();
    }

    /**
     * Resolves a member path to the innermost member, with its offset from the start of {@code struct}.
     *
     * @param struct a structure's name
     * @param path a member or dotted path
     * @return the member, relocated, or null if the structure or a member does not exist
     */
    public StructMember member(String struct, String path) {
        StructLayout l = structs.get(struct);
        if (l == null || path == null || path.isEmpty()) {
            return null;
        }
        int base = 0;
        int start = 0;
        while (true) {
            int dot = path.indexOf('.', start);
            String part = dot < 0 ? path.substring(start) : path.substring(start, dot);
            StructMember m = l.member(part);
            if (m == null) {
                return null;
            }
            if (dot < 0) {
                return base == 0 && start == 0 ? m : m.relocate(base, path);
            }
            String inner = m.embeddedStruct();
            l = inner == null ? null : structs.get(inner);
            if (l == null) {
                return null;
            }
            base += m.offset();
            start = dot + 1;
        }
    }

    /**
     * Checks the profile for consistency. For every structure: its size is a multiple of its alignment;
     * every member's size matches its type (scalar table, 8-byte pointers, element size times length,
     * embedded structure size); every member is aligned to its type, lies within the structure, and does
     * not overlap the previous one; every embedded structure is defined.
     *
     * @return one line per problem; empty if the profile is consistent
     */
    public List<String> check() {
        List<String> problems = new ArrayList<>();
        for (StructLayout l : structs.values()) {
            String s = "struct " + l.name();
            if (l.align() <= 0 || Integer.bitCount(l.align()) != 1) {
                problems.add(s + ": alignment " + l.align() + " is not a power of two");
            } else if (l.size() % l.align() != 0) {
                problems.add(s + ": size " + l.size() + " is not a multiple of its alignment " + l.align());
            }
            int end = 0;
            String prev = null;
            for (StructMember m : l.members()) {
                String where = s + "." + m.name() + " (" + m.type() + ")";
                int expected = sizeOfType(m);
                int align = alignOfType(m);
                if (expected < 0) {
                    problems.add(where + ": unknown type");
                } else if (expected != m.size()) {
                    problems.add(where + ": size " + m.size() + " but the type needs " + expected);
                }
                if (align > 0 && m.offset() % align != 0) {
                    problems.add(where + ": offset " + m.offset() + " is not aligned to " + align);
                }
                if (align > l.align()) {
                    problems.add(where + ": alignment " + align + " exceeds the structure's " + l.align());
                }
                if (m.offset() < 0 || m.offset() + m.size() > l.size()) {
                    problems.add(where + ": [" + m.offset() + ", " + (m.offset() + m.size())
                            + ") lies outside the structure's " + l.size() + " bytes");
                }
                if (m.offset() < end) {
                    problems.add(where + ": offset " + m.offset() + " overlaps " + prev + " which ends at " + end);
                }
                if (m.isArray() && m.arrayLength() == 0 && m != l.members().get(l.members().size() - 1)) {
                    problems.add(where + ": a flexible array must be the last member");
                }
                end = Math.max(end, m.offset() + m.size());
                prev = m.name();
            }
        }
        return problems;
    }

    /** @return the size a member's type needs, or -1 if the type is unknown */
    private int sizeOfType(StructMember m) {
        int elem = elementSize(m);
        if (elem < 0) {
            return -1;
        }
        return m.isArray() ? elem * m.arrayLength() : elem;
    }

    private int elementSize(StructMember m) {
        if (m.elementIsPointer()) {
            return CTypes.POINTER_SIZE;
        }
        if (m.baseStruct() != null) {
            StructLayout inner = structs.get(m.baseStruct());
            return inner == null ? -1 : inner.size();
        }
        return CTypes.scalarSize(m.elementType());
    }

    private int alignOfType(StructMember m) {
        if (m.elementIsPointer()) {
            return CTypes.POINTER_SIZE;
        }
        if (m.baseStruct() != null) {
            StructLayout inner = structs.get(m.baseStruct());
            return inner == null ? -1 : inner.align();
        }
        return CTypes.scalarSize(m.elementType());
    }

    @Override
    public String toString() {
        return "StructLayouts[" + profile + ", " + structs.size() + " structs]";
    }

    /**
     * Builds a profile: declare each structure with {@link #struct}, then its members in any order with
     * {@link #member}. A member's size may be left to be derived from its type (scalars, pointers,
     * arrays of them, and embedded structures declared anywhere in the same builder).
     */
    public static final class Builder {
        private final String profile;
        /** Declared structures in declaration order; the builder is not thread-safe. */
        private final Map<String, Decl> decls = new LinkedHashMap<>();
        private Decl current;

        private static final class Decl {
            final String name;
            final int size;
            final int align;
            final List<Object[]> members = new ArrayList<>();

            Decl(String name, int size, int align) {
                this.name = name;
                this.size = size;
                this.align = align;
            }
        }

        private Builder(String profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
        }

        /**
         * Starts a structure; following {@link #member} calls add to it.
         *
         * @param name its name without {@code struct}
         * @param size {@code sizeof}
         * @param align {@code _Alignof}, or 0 to use the largest member alignment (at least 1)
         * @return this builder
         */
        public Builder struct(String name, int size, int align) {
            if (decls.containsKey(name)) {
                throw new IllegalArgumentException("struct " + name + " declared twice");
            }
            current = new Decl(name, size, align);
            decls.put(name, current);
            return this;
        }

        /**
         * Adds a member whose size follows from its type.
         *
         * @param offset its byte offset
         * @param name its name
         * @param type its C type
         * @return this builder
         */
        public Builder member(int offset, String name, String type) {
            return member(offset, name, type, -1);
        }

        /**
         * Adds a member with an explicit size.
         *
         * @param offset its byte offset
         * @param name its name
         * @param type its C type
         * @param size its size in bytes, or -1 to derive it from the type
         * @return this builder
         */
        public Builder member(int offset, String name, String type, int size) {
            if (current == null) {
                throw new IllegalStateException("member " + name + " before any struct");
            }
            current.members.add(new Object[] {offset, name, type, size});
            return this;
        }

        /**
         * @return the profile
         * @throws IllegalArgumentException if a size cannot be derived or a member is declared twice
         */
        public StructLayouts build() {
            Map<String, StructLayout> out = new LinkedHashMap<>();
            for (Decl d : decls.values()) {
                resolve(d, out, new java.util.HashSet<>());
            }
            return new StructLayouts(profile, out);
        }

        private StructLayout resolve(Decl d, Map<String, StructLayout> done, Set<String> visiting) {
            StructLayout l = done.get(d.name);
            if (l != null) {
                return l;
            }
            if (!visiting.add(d.name)) {
                throw new IllegalArgumentException("struct " + d.name + " embeds itself");
            }
            List<StructMember> ms = new ArrayList<>();
            int maxAlign = 1;
            for (Object[] spec : d.members) {
                int offset = (Integer) spec[0];
                String name = (String) spec[1];
                String type = (String) spec[2];
                int size = (Integer) spec[3];
                StructMember probe = new StructMember(name, offset, 0, type);
                int elem;
                int align;
                if (probe.elementIsPointer()) {
                    elem = CTypes.POINTER_SIZE;
                    align = elem;
                } else if (probe.baseStruct() != null) {
                    Decl inner = decls.get(probe.baseStruct());
                    StructLayout il = inner == null ? null : resolve(inner, done, visiting);
                    elem = il == null ? -1 : il.size();
                    align = il == null ? 1 : il.align();
                } else {
                    elem = CTypes.scalarSize(probe.elementType());
                    align = Math.max(elem, 1);
                }
                if (size < 0) {
                    if (elem < 0) {
                        throw new IllegalArgumentException("struct " + d.name + "." + name + ": cannot size type "
                                + type);
                    }
                    size = probe.isArray() ? elem * probe.arrayLength() : elem;
                }
                maxAlign = Math.max(maxAlign, align);
                ms.add(new StructMember(name, offset, size, type));
            }
            l = new StructLayout(d.name, d.size, d.align > 0 ? d.align : maxAlign, ms);
            done.put(d.name, l);
            visiting.remove(d.name);
            return l;
        }
    }
}
