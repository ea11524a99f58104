package dev.ksim.kernel.mm;

/**
 * The attributes of an inode that {@link VfsObjects} creates for a new path.
 *
 * @param mode {@code i_mode}: file type and permission bits, e.g. {@link #S_IFREG} {@code | 0755}
 * @param uid owner
 * @param gid group
 * @param size {@code i_size} in bytes
 */
public record InodeSpec(int mode, int uid, int gid, long size) {
    /** {@code S_IFREG}: regular file. */
    public static final int S_IFREG = 0100000;
    /** {@code S_IFDIR}: directory. */
    public static final int S_IFDIR = 0040000;
    /** {@code S_IFLNK}: symbolic link. */
    public static final int S_IFLNK = 0120000;
    /** {@code S_IFMT}: the file-type bits. */
    public static final int S_IFMT = 0170000;

    /** @return a root-owned executable regular file of size 0 ({@code -rwxr-xr-x}) */
    public static InodeSpec regular() {
        return new InodeSpec(S_IFREG | 0755, 0, 0, 0);
    }

    /** @return a root-owned directory ({@code drwxr-xr-x}, 4096 bytes) */
    public static InodeSpec directory() {
        return new InodeSpec(S_IFDIR | 0755, 0, 0, 4096);
    }

    /** @return true for a directory */
    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }
}
