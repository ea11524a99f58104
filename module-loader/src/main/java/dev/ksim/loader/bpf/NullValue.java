package dev.ksim.loader.bpf;

/**
 * What the nullness analysis knows about one slot of a frame (a local or an operand-stack slot; a
 * {@code long} or {@code double} takes two slots, each {@link #OTHER}).
 *
 * <p>Like the kernel verifier's register {@code id}, {@link #id} names the value a helper returned, so that
 * a test on one copy refines every copy: positive ids are the number of the instruction that produced the
 * value plus one, negative ids values merged from different ones at a join, 0 a value with no identity.
 *
 * @param id which value this is
 * @param state what is known of it
 * @param type the kernel's name of its pointer type when not null ({@code map_value}, {@code ringbuf_mem},
 *     {@code mem}); null for {@link State#OTHER}
 */
record NullValue(int id, State state, String type) {
    /** Anything the analysis does not track: primitives, and references that cannot be null. */
    static final NullValue OTHER = new NullValue(0, State.OTHER, null);
    /** The constant {@code null}. */
    static final NullValue NULL = new NullValue(0, State.NULL, null);

    /** What is known of a value. */
    enum State {
        /** not a helper's pointer: a primitive or a reference the analysis does not track */
        OTHER,
        /** known to be null: the constant, or a helper's result on the path where a test found it null */
        NULL,
        /** a helper's value-or-null result, not yet checked ({@code PTR_MAYBE_NULL}) */
        MAYBE_NULL,
        /** a helper's result on the path where a test found it non-null */
        NON_NULL,
        /** the {@code int} result of {@code instanceof} on the value {@link #id}: non-zero means non-null */
        INSTANCE_TEST
    }

    /** @return whether dereferencing the value may fault */
    boolean unchecked() {
        return state == State.MAYBE_NULL || state == State.NULL;
    }

    /** @return {@code reg_type_str()} of the value as the kernel's log shows it */
    String regType() {
        return state == State.MAYBE_NULL ? type + "_or_null" : "scalar";
    }

    /** @return the same value where a test proved it non-null ({@code mark_ptr_or_null_reg()}) */
    NullValue checkedNonNull() {
        return state == State.MAYBE_NULL ? new NullValue(id, State.NON_NULL, type) : this;
    }

    /** @return the same value where a test proved it null */
    NullValue checkedNull() {
        return state == State.MAYBE_NULL ? new NullValue(id, State.NULL, type) : this;
    }

    /**
     * The value a slot holds where two paths meet.
     *
     * @param other the value on the other path
     * @param mergedId the id of a value merged from two different ones at this join and slot
     * @return what is known on both paths: a helper's result that may be null on either is maybe-null
     */
    NullValue join(NullValue other, int mergedId) {
        if (equals(other)) {
            return this;
        }
        NullValue tracked = mayBeNullResult() ? this : other.mayBeNullResult() ? other : null;
        if (tracked == null) {
            return OTHER;
        }
        return new NullValue(id == other.id ? id : mergedId, State.MAYBE_NULL, tracked.type);
    }

    /** @return whether this is a helper's result that may be null on this path */
    private boolean mayBeNullResult() {
        return state == State.MAYBE_NULL || (state == State.NULL && type != null);
    }
}
