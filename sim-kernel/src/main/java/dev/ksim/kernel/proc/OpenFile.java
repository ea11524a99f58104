package dev.ksim.kernel.proc;

import dev.ksim.kernel.fs.Vfs;

/**
 * An open file of a process: its {@code struct file} in kernel memory and the VFS inode behind it.
 * Guarded by the owning process's lock.
 */
final class OpenFile {
    final String path;
    final Vfs.Inode inode;
    final int flags;
    /** Address of the {@code struct file}. */
    final long file;
    long pos;

    OpenFile(String path, Vfs.Inode inode, int flags, long file) {
        this.path = path;
        this.inode = inode;
        this.flags = flags;
        this.file = file;
    }
}
