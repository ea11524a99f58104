package dev.ksim.sdk.linux;

/**
 * {@code struct cred}: a task's credentials. Ids are the kernel's global ({@code init_user_ns}) values,
 * as {@code __kuid_val()} returns them.
 */
public final class Cred extends KernelStruct {
    /** @param addr the cred's address */
    public Cred(long addr) {
        super(addr);
    }

    @Override
    protected String structName() {
        return "cred";
    }

    /** @return {@code usage}: the reference count */
    public int usage() {
        return i32("usage");
    }

    /** @return {@code uid}: the real user id */
    public int uid() {
        return i32("uid");
    }

    /** @return {@code gid}: the real group id */
    public int gid() {
        return i32("gid");
    }

    /** @return {@code suid}: the saved user id */
    public int suid() {
        return i32("suid");
    }

    /** @return {@code sgid}: the saved group id */
    public int sgid() {
        return i32("sgid");
    }

    /** @return {@code euid}: the effective user id */
    public int euid() {
        return i32("euid");
    }

    /** @return {@code egid}: the effective group id */
    public int egid() {
        return i32("egid");
    }

    /** @return {@code fsuid}: the user id for filesystem access */
    public int fsuid() {
        return i32("fsuid");
    }

    /** @return {@code fsgid}: the group id for filesystem access */
    public int fsgid() {
        return i32("fsgid");
    }

    /** @return {@code securebits} */
    public int securebits() {
        return i32("securebits");
    }

    /** @return {@code cap_inheritable}: bit n is capability n */
    public long cap_inheritable() {
        return i64("cap_inheritable");
    }

    /** @return {@code cap_permitted} */
    public long cap_permitted() {
        return i64("cap_permitted");
    }

    /** @return {@code cap_effective} */
    public long cap_effective() {
        return i64("cap_effective");
    }

    /** @return {@code cap_bset}: the bounding set */
    public long cap_bset() {
        return i64("cap_bset");
    }

    /** @return {@code cap_ambient} */
    public long cap_ambient() {
        return i64("cap_ambient");
    }
}
