package dev.ksim.sdk.linux;

/**
 * {@code struct dentry}: one path component in the dentry cache. Walking {@link #d_parent()} reaches
 * the filesystem root, whose parent is itself ({@link #IS_ROOT()}).
 */
public final class Dentry extends KernelStruct {
    /** {@code DNAME_INLINE_LEN}: the size of {@link #d_iname()}'s array on 64-bit. */
    public static final int DNAME_INLINE_LEN = 32;

    /** @param addr the dentry's address */
    public Dentry(long addr) {
        super(addr);
    }

    @Override
    protected String structName() {
        return "dentry";
    }

    /** @return {@code d_flags}: {@code DCACHE_*} bits */
    public int d_flags() {
        return i32("d_flags");
    }

    /** @return {@code d_parent} */
    public Dentry d_parent() {
        return new Dentry(ptr("d_parent"));
    }

    /** @return {@code d_name}: the component's name, embedded in the dentry */
    public Qstr d_name() {
        return new Qstr(addrOf("d_name"));
    }

    /** @return {@code d_inode}: NULL for a negative dentry */
    public Inode d_inode() {
        return new Inode(ptr("d_inode"));
    }

    /** @return {@code d_iname}: the inline name storage (the name if it is shorter than 32 bytes) */
    public String d_iname() {
        return charArray("d_iname", DNAME_INLINE_LEN);
    }

    /** @return {@code d_sb}: the superblock's address */
    public long d_sb() {
        return ptr("d_sb");
    }

    /** @return {@code IS_ROOT(dentry)}: true if the dentry is its own parent */
    public boolean IS_ROOT() {
        return ptr("d_parent") == addr;
    }
}
