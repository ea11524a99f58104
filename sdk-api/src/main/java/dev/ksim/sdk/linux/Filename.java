package dev.ksim.sdk.linux;

/**
 * {@code struct filename}: a path copied from user space by {@code getname()}, the argument of
 * {@code do_unlinkat}, {@code do_sys_openat2}'s callees, {@code do_execveat_common} and friends.
 *
 * <pre>{@code
 * // SEC("kprobe/do_unlinkat") int BPF_KPROBE(do_unlinkat, int dfd, struct filename *name)
 * Filename name = new Filename(regs.kernelArgument(1));
 * pr_info("pid = %d, filename = %s\n", TaskStruct.current().tgid(), name.name());
 * }</pre>
 */
public final class Filename extends KernelStruct {
    /** @param addr the structure's address */
    public Filename(long addr) {
        super(addr);
    }

    @Override
    protected String structName() {
        return "filename";
    }

    /** @return the string {@code name} points to */
    public String name() {
        return string("name");
    }

    /** @return {@code name}: the pointer itself */
    public long name_ptr() {
        return ptr("name");
    }

    /** @return {@code uptr}: the user address the name was copied from */
    public long uptr() {
        return ptr("uptr");
    }

    /** @return {@code refcnt} */
    public int refcnt() {
        return i32("refcnt");
    }

    /** @return {@code aname}: the audit record's address, or 0 */
    public long aname() {
        return ptr("aname");
    }

    /** @return the string stored in place in {@code iname[]} (equal to {@link #name()} for short names) */
    public String iname() {
        return readString(addrOf("iname"), PATH_MAX);
    }
}
