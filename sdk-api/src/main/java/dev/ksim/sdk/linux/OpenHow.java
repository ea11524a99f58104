package dev.ksim.sdk.linux;

/** {@code struct open_how}: how {@code do_sys_openat2()} opens a file (uapi, 5.6+). */
public final class OpenHow extends KernelStruct {
    /** @param addr the structure's address */
    public OpenHow(long addr) {
        super(addr);
    }

    @Override
    protected String structName() {
        return "open_how";
    }

    /** @return {@code flags}: {@code O_*} bits */
    public long flags() {
        return i64("flags");
    }

    /** @return {@code mode}: creation mode */
    public long mode() {
        return i64("mode");
    }

    /** @return {@code resolve}: {@code RESOLVE_*} bits */
    public long resolve() {
        return i64("resolve");
    }
}
