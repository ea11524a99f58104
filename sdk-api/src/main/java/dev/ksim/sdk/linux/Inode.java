package dev.ksim.sdk.linux;

/** {@code struct inode}: a file's metadata. */
public final class Inode extends KernelStruct {
    /** {@code S_IFMT}: the file-type bits of {@link #i_mode()}. */
    public static final int S_IFMT = 0170000;
    /** {@code S_IFREG}: regular file. */
    public static final int S_IFREG = 0100000;
    /** {@code S_IFDIR}: directory. */
    public static final int S_IFDIR = 0040000;
    /** {@code S_IFLNK}: symbolic link. */
    public static final int S_IFLNK = 0120000;
    /** {@code S_ISUID}: set-user-id. */
    public static final int S_ISUID = 04000;
    /** {@code S_ISGID}: set-group-id. */
    public static final int S_ISGID = 02000;

    /** @param addr the inode's address */
    public Inode(long addr) {
        super(addr);
    }

    /**
     * @param mode an {@code i_mode}
     * @return {@code S_ISREG(mode)}
     */
    public static boolean S_ISREG(int mode) {
        return (mode & S_IFMT) == S_IFREG;
    }

    /**
     * @param mode an {@code i_mode}
     * @return {@code S_ISDIR(mode)}
     */
    public static boolean S_ISDIR(int mode) {
        return (mode & S_IFMT) == S_IFDIR;
    }

    /**
     * @param mode an {@code i_mode}
     * @return {@code S_ISLNK(mode)}
     */
    public static boolean S_ISLNK(int mode) {
        return (mode & S_IFMT) == S_IFLNK;
    }

    @Override
    protected String structName() {
        return "inode";
    }

    /** @return {@code i_mode}: type and permission bits ({@code umode_t}, 16 bits) */
    public int i_mode() {
        return u16("i_mode");
    }

    /** @return {@code i_uid}: the owner */
    public int i_uid() {
        return i32("i_uid");
    }

    /** @return {@code i_gid}: the group */
    public int i_gid() {
        return i32("i_gid");
    }

    /** @return {@code i_flags}: {@code S_*} inode flags */
    public int i_flags() {
        return i32("i_flags");
    }

    /** @return {@code i_ino}: the inode number */
    public long i_ino() {
        return i64("i_ino");
    }

    /** @return {@code i_nlink}: the link count */
    public int i_nlink() {
        return i32("i_nlink");
    }

    /** @return {@code i_rdev}: the device number of a device file */
    public int i_rdev() {
        return i32("i_rdev");
    }

    /** @return {@code i_size}: the size in bytes */
    public long i_size() {
        return i64("i_size");
    }

    /** @return {@code i_blocks}: 512-byte blocks allocated */
    public long i_blocks() {
        return i64("i_blocks");
    }

    /** @return {@code i_sb}: the superblock's address */
    public long i_sb() {
        return ptr("i_sb");
    }
}
