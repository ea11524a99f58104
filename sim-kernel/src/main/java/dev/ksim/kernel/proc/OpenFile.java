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
    /**
     * A pseudo file's contents as read at position 0, so later reads continue in the same text (as
     * {@code seq_read} keeps its buffer per open file); guarded by the reading process's syscall.
     */
    byte[] seqSnapshot;

    OpenFile(String path, Vfs.Inode inode, int flags, long file) {
        this.path = path;
        this.inode = inode;
        this.flags = flags;
        this.file = file;
    }
}
