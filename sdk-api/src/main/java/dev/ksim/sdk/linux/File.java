package dev.ksim.sdk.linux;

/**
 * {@code struct file}: an open file. The path is in {@link #f_path()}:
 * {@code file.f_path().dentry().d_name().name()} is the file's name.
 */
public final class File extends KernelStruct {
    /** {@code FMODE_READ}, a bit of {@link #f_mode()}. */
    public static final int FMODE_READ = 0x1;
    /** {@code FMODE_WRITE}. */
    public static final int FMODE_WRITE = 0x2;
    /** {@code FMODE_EXEC}. */
    public static final int FMODE_EXEC = 0x20;

    /** @param addr the file's address */
    public File(long addr) {
        super(addr);
    }

    @Override
    protected String structName() {
        return "file";
    }

    /** @return {@code f_path}: the mount and dentry, embedded in the file */
    public Path f_path() {
        return new Path(addrOf("f_path"));
    }

    /** @return {@code f_inode} */
    public Inode f_inode() {
        return new Inode(ptr("f_inode"));
    }

    /** @return {@code f_op}: the {@code file_operations} address */
    public long f_op() {
        return ptr("f_op");
    }

    /** @return {@code f_count}: the reference count */
    public long f_count() {
        return i64("f_count");
    }

    /** @return {@code f_flags}: the {@code open()} flags ({@code O_*}) */
    public int f_flags() {
        return i32("f_flags");
    }

    /** @return {@code f_mode}: {@code FMODE_*} bits */
    public int f_mode() {
        return i32("f_mode");
    }

    /** @return {@code f_pos}: the file position */
    public long f_pos() {
        return i64("f_pos");
    }

    /** @return {@code f_cred}: the opener's credentials */
    public Cred f_cred() {
        return new Cred(ptr("f_cred"));
    }

    /** @return {@code private_data} */
    public long private_data() {
        return ptr("private_data");
    }
}
