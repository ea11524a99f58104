package dev.ksim.sdk.linux;

/**
 * Thrown by a structure view when the running kernel's layout has no member of the requested name: the
 * member was renamed or removed in this kernel version (e.g. {@code task_struct.state}, which became
 * {@code __state} in 5.14). A BPF CO-RE program would fail to load; a ksim module fails at the access.
 * Test for a member with {@code Maccess.bpf_core_field_exists()}.
 */
public final class NoSuchMemberException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The structure's name. */
    private final String struct;
    /** The missing member. */
    private final String member;

    /**
     * @param struct the structure's name
     * @param member the missing member
     */
    public NoSuchMemberException(String struct, String member) {
        super("struct " + struct + " has no member '" + member + "' in this kernel");
        this.struct = struct;
        this.member = member;
    }

    /** @return the structure's name */
    public String struct() {
        return struct;
    }

    /** @return the missing member */
    public String member() {
        return member;
    }
}
