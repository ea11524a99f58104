package dev.ksim.kernel.mm;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A structure at an address in kernel memory, accessed member by member through a
 * {@link StructLayouts} profile: the simulator's side of the SDK's structure views. Every access looks
 * the member up by name, so code that builds kernel objects never hard-codes an offset and keeps working
 * when a profile's layout changes. Accesses fault ({@link PageFault}) like C stores and loads.
 *
 * <p>Immutable; safe to share. Concurrent writes to the same members race as in C.
 */
public final class StructRef {
    private final KernelMemory memory;
    private final StructLayouts layouts;
    private final StructLayout layout;
    private final long addr;

    /**
     * @param memory the address space
     * @param layouts the profile
     * @param struct the structure's name
     * @param addr its address
     * @throws IllegalArgumentException if the profile has no such structure
     */
    public StructRef(KernelMemory memory, StructLayouts layouts, String struct, long addr) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.layouts = Objects.requireNonNull(layouts, "layouts");
        this.layout = layouts.require(struct);
        this.addr = addr;
    }

    /** @return the structure's address */
    public long addr() {
        return addr;
    }

    /** @return the structure's name */
    public String struct() {
        return layout.name();
    }

    /** @return the structure's layout */
    public StructLayout layout() {
        return layout;
    }

    /**
     * @param path a member or dotted path through embedded structures
     * @return the member, with its offset from this structure's start
     * @throws IllegalArgumentException if the profile has no such member
     */
    public StructMember member(String path) {
        StructMember m = layouts.member(layout.name(), path);
        if (m == null) {
            throw new IllegalArgumentException("struct " + layout.name() + " has no member '" + path + "' in "
                    + layouts.profile());
        }
        return m;
    }

    /**
     * @param path a member path
     * @return {@code &s->path}
     */
    public long addrOf(String path) {
        return addr + member(path).offset();
    }

    /**
     * Loads an integer or pointer member.
     *
     * @param path a member path
     * @return its value, zero-extended
     * @throws IllegalArgumentException if the member is not 1, 2, 4 or 8 bytes
     * @throws PageFault if the memory cannot be read
     */
    public long get(String path) {
        StructMember m = member(path);
        return memory.read(addr + m.offset(), scalarSize(m));
    }

    /**
     * Stores an integer or pointer member, truncated to its size.
     *
     * @param path a member path
     * @param value the value
     * @return this
     * @throws IllegalArgumentException if the member is not 1, 2, 4 or 8 bytes
     * @throws PageFault if the memory cannot be written
     */
    public StructRef set(String path, long value) {
        StructMember m = member(path);
        memory.write(addr + m.offset(), scalarSize(m), value);
        return this;
    }

    /**
     * Stores a string into a fixed-size {@code char[N]} member ({@code strscpy} semantics): at most
     * {@code N - 1} UTF-8 bytes, a NUL, and zeros to the end of the array.
     *
     * @param path a {@code char[N]} member
     * @param s the string
     * @return this
     */
    public StructRef setChars(String path, String s) {
        StructMember m = member(path);
        if (!m.isArray() || m.arrayLength() == 0 || m.size() != m.arrayLength()) {
            throw new IllegalArgumentException(layout.name() + "." + path + " is not a char array: " + m.type());
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] b = Arrays.copyOf(utf8, m.size());
        b[Math.min(utf8.length, m.size() - 1)] = 0;
        memory.writeBytes(addr + m.offset(), b);
        return this;
    }

    /**
     * Loads a {@code char[N]} member as a string, up to its NUL.
     *
     * @param path a {@code char[N]} member
     * @return the string
     */
    public String getChars(String path) {
        StructMember m = member(path);
        return memory.readCString(addr + m.offset(), m.size());
    }

    /**
     * @param path a member of embedded-structure type, e.g. {@code "f_path"}
     * @return a reference to the embedded structure
     */
    public StructRef at(String path) {
        StructMember m = member(path);
        if (m.embeddedStruct() == null) {
            throw new IllegalArgumentException(layout.name() + "." + path + " is not an embedded struct: " + m.type());
        }
        return new StructRef(memory, layouts, m.embeddedStruct(), addr + m.offset());
    }

    /**
     * @param path a member of type {@code struct X *}
     * @return a reference to the structure it points to (possibly at address 0)
     */
    public StructRef deref(String path) {
        StructMember m = member(path);
        if (m.pointee() == null) {
            throw new IllegalArgumentException(layout.name() + "." + path + " is not a struct pointer: " + m.type());
        }
        return new StructRef(memory, layouts, m.pointee(), memory.read64(addr + m.offset()));
    }

    /**
     * {@code INIT_LIST_HEAD(&s->path)}: an empty list points to itself.
     *
     * @param path a {@code struct list_head} member
     * @return this
     */
    public StructRef initListHead(String path) {
        StructRef head = at(path);
        head.set("next", head.addr).set("prev", head.addr);
        return this;
    }

    /**
     * {@code list_add(&s->entry, head)}: inserts this structure's list entry after a list head.
     *
     * @param entry this structure's {@code struct list_head} member
     * @param head the address of the list head to insert after
     * @return this
     */
    public StructRef listAdd(String entry, long head) {
        StructRef e = at(entry);
        StructRef h = new StructRef(memory, layouts, "list_head", head);
        long next = h.get("next");
        new StructRef(memory, layouts, "list_head", next).set("prev", e.addr);
        e.set("next", next).set("prev", head);
        h.set("next", e.addr);
        return this;
    }

    private int scalarSize(StructMember m) {
        int s = m.size();
        if (m.isArray() || m.embeddedStruct() != null || (s != 1 && s != 2 && s != 4 && s != 8)) {
            throw new IllegalArgumentException(layout.name() + "." + m.name() + " is not a scalar: " + m.type());
        }
        return s;
    }

    @Override
    public String toString() {
        return "(struct " + layout.name() + " *)0x" + Long.toHexString(addr);
    }
}
