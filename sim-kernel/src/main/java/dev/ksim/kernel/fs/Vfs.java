package dev.ksim.kernel.fs;

import dev.ksim.sdk.Errno;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated file system: a tree of directories and regular files held in memory, with procfs,
 * sysfs and debugfs entries mounted into it as {@link PseudoFile}s. Operations return 0 or a negative
 * errno as the VFS does. Thread-safe: every operation locks the tree (the simulated VFS is not the
 * object of study, so one lock keeps it simple and correct).
 */
public final class Vfs {
    /** {@code S_IFDIR}. */
    public static final int S_IFDIR = 0040000;
    /** {@code S_IFREG}. */
    public static final int S_IFREG = 0100000;

    /** A file-system object. */
    public static final class Inode {
        /** Inode number. */
        public final long ino;
        /** Type and permission bits. */
        public final int mode;
        /** Children of a directory, by name. */
        final Map<String, Inode> children;
        /** Contents of a regular file. */
        byte[] data = new byte[0];
        /** The generator of a pseudo file, or null. */
        public final PseudoFile pseudo;

        Inode(long ino, int mode, PseudoFile pseudo) {
            this.ino = ino;
            this.mode = mode;
            this.pseudo = pseudo;
            this.children = (mode & S_IFDIR) != 0 ? new TreeMap<>() : null;
        }

        /** @return whether this is a directory */
        public boolean isDir() {
            return children != null;
        }

        /** @return the size in bytes (0 for directories and pseudo files) */
        public long size() {
            return data.length;
        }
    }

    private final AtomicLong nextIno = new AtomicLong(2);
    private final Inode root = new Inode(1, S_IFDIR | 0755, null);

    /** Creates the standard tree: /bin, /etc, /home, /proc, /sys, /tmp, /usr/bin, /var. */
    public Vfs() {
        for (String d : List.of("/bin", "/etc", "/home", "/proc", "/proc/sys", "/proc/sys/kernel", "/proc/sys/debug",
                "/root", "/sys", "/sys/kernel", "/sys/kernel/debug", "/sys/module", "/sys/block", "/tmp", "/usr",
                "/usr/bin", "/var", "/var/log")) {
            mkdir(d, 0755);
        }
        for (String b : List.of("/bin/sh", "/bin/bash", "/bin/ls", "/bin/cat", "/bin/touch", "/bin/rm", "/bin/mkdir",
                "/bin/mv", "/bin/echo", "/bin/sleep", "/usr/bin/id", "/usr/bin/true", "/usr/bin/stress")) {
            create(b, 0755);
            writeFile(b, "\177ELF".getBytes(StandardCharsets.ISO_8859_1), false);
        }
        create("/etc/passwd", 0644);
        writeFile("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n".getBytes(StandardCharsets.UTF_8), false);
        create("/etc/hostname", 0644);
        writeFile("/etc/hostname", "ksim\n".getBytes(StandardCharsets.UTF_8), false);
    }

    private static List<String> split(String path) {
        return dev.ksim.kernel.mm.VfsObjects.canonical(path);
    }

    /**
     * @param cwd the working directory
     * @param path an absolute or relative path
     * @return the absolute, normalised path
     */
    public static String resolve(String cwd, String path) {
        String full = path.startsWith("/") ? path : cwd + "/" + path;
        return "/" + String.join("/", split(full));
    }

    private Inode walk(List<String> parts, int n) {
        Inode cur = root;
        for (int i = 0; i < n; i++) {
            if (!cur.isDir()) {
                return null;
            }
            cur = cur.children.get(parts.get(i));
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    /** @param path an absolute path @return its inode, or null */
    public synchronized Inode lookup(String path) {
        List<String> parts = split(path);
        return walk(parts, parts.size());
    }

    private int add(String path, Inode node) {
        List<String> parts = split(path);
        if (parts.isEmpty()) {
            return -Errno.EEXIST;
        }
        Inode parent = walk(parts, parts.size() - 1);
        if (parent == null) {
            return -Errno.ENOENT;
        }
        if (!parent.isDir()) {
            return -Errno.ENOTDIR;
        }
        String name = parts.get(parts.size() - 1);
        if (name.length() > 255) {
            return -Errno.ENAMETOOLONG;
        }
        if (parent.children.containsKey(name)) {
            return -Errno.EEXIST;
        }
        parent.children.put(name, node);
        return 0;
    }

    /** {@code mkdir}. @param path absolute path @param mode permissions @return 0 or -errno */
    public synchronized int mkdir(String path, int mode) {
        return add(path, new Inode(nextIno.getAndIncrement(), S_IFDIR | (mode & 07777), null));
    }

    /** Creates an empty regular file. @param path absolute path @param mode permissions @return 0 or -errno */
    public synchronized int create(String path, int mode) {
        return add(path, new Inode(nextIno.getAndIncrement(), S_IFREG | (mode & 07777), null));
    }

    /**
     * Mounts a pseudo file, creating missing parent directories.
     *
     * @param path absolute path
     * @param file the file
     */
    public synchronized void mount(String path, PseudoFile file) {
        List<String> parts = split(path);
        Inode cur = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            Inode next = cur.children.get(parts.get(i));
            if (next == null) {
                next = new Inode(nextIno.getAndIncrement(), S_IFDIR | 0755, null);
                cur.children.put(parts.get(i), next);
            }
            cur = next;
        }
        cur.children.put(parts.get(parts.size() - 1), new Inode(nextIno.getAndIncrement(), S_IFREG | file.mode(), file));
    }

    /** Removes a pseudo file or directory tree (no checks). @param path absolute path */
    public synchronized void unmount(String path) {
        List<String> parts = split(path);
        Inode parent = walk(parts, parts.size() - 1);
        if (parent != null && parent.isDir()) {
            parent.children.remove(parts.get(parts.size() - 1));
        }
    }

    /** {@code unlink}. @param path absolute path @return 0 or -errno */
    public synchronized int unlink(String path) {
        List<String> parts = split(path);
        Inode parent = walk(parts, parts.size() - 1);
        Inode node = parent == null || !parent.isDir() ? null : parent.children.get(parts.get(parts.size() - 1));
        if (node == null) {
            return -Errno.ENOENT;
        }
        if (node.isDir()) {
            return -Errno.EISDIR;
        }
        if (node.pseudo != null) {
            return -Errno.EPERM;
        }
        parent.children.remove(parts.get(parts.size() - 1));
        return 0;
    }

    /** {@code rmdir}. @param path absolute path @return 0 or -errno */
    public synchronized int rmdir(String path) {
        List<String> parts = split(path);
        Inode parent = walk(parts, parts.size() - 1);
        Inode node = parent == null || !parent.isDir() ? null : parent.children.get(parts.get(parts.size() - 1));
        if (node == null) {
            return -Errno.ENOENT;
        }
        if (!node.isDir()) {
            return -Errno.ENOTDIR;
        }
        if (!node.children.isEmpty()) {
            return -Errno.ENOTEMPTY;
        }
        parent.children.remove(parts.get(parts.size() - 1));
        return 0;
    }

    /** {@code rename}. @param from absolute path @param to absolute path @return 0 or -errno */
    public synchronized int rename(String from, String to) {
        List<String> fp = split(from);
        List<String> tp = split(to);
        Inode fparent = walk(fp, fp.size() - 1);
        Inode node = fparent == null || !fparent.isDir() ? null : fparent.children.get(fp.get(fp.size() - 1));
        if (node == null) {
            return -Errno.ENOENT;
        }
        Inode tparent = walk(tp, tp.size() - 1);
        if (tparent == null) {
            return -Errno.ENOENT;
        }
        if (!tparent.isDir()) {
            return -Errno.ENOTDIR;
        }
        fparent.children.remove(fp.get(fp.size() - 1));
        tparent.children.put(tp.get(tp.size() - 1), node);
        return 0;
    }

    /**
     * Reads a whole file.
     *
     * @param node the inode
     * @return its contents (a pseudo file's generated text)
     */
    public byte[] read(Inode node) {
        if (node.pseudo != null) {
            // Outside the tree lock: generators take their subsystem's lock, which may itself mount files.
            return node.pseudo.read().get().getBytes(StandardCharsets.UTF_8);
        }
        synchronized (this) {
            return node.data.clone();
        }
    }

    /**
     * Writes to a file.
     *
     * @param node the inode
     * @param bytes what to write
     * @param append whether to append (otherwise the file is replaced)
     * @return the bytes written, or -errno
     */
    public int write(Inode node, byte[] bytes, boolean append) {
        if (node.isDir()) {
            return -Errno.EISDIR;
        }
        if (node.pseudo != null) {
            if (node.pseudo.write() == null) {
                return -Errno.EACCES;
            }
            // Outside the tree lock: a write may register probes (and wait for RCU grace periods, which need the
            // other CPUs to get on, through the file system too) or mount and unmount files itself.
            int r = node.pseudo.write().apply(new String(bytes, StandardCharsets.UTF_8));
            return r < 0 ? r : bytes.length;
        }
        synchronized (this) {
            return writeRegular(node, bytes, append);
        }
    }

    private int writeRegular(Inode node, byte[] bytes, boolean append) {
        if (append) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(node.data);
            out.writeBytes(bytes);
            node.data = out.toByteArray();
        } else {
            node.data = bytes.clone();
        }
        return bytes.length;
    }

    /**
     * Writes into a regular file at a position, growing it as needed.
     *
     * @param node the inode
     * @param pos the offset
     * @param bytes what to write
     * @return the bytes written, or -errno
     */
    public synchronized int writeAt(Vfs.Inode node, long pos, byte[] bytes) {
        if (node.isDir()) {
            return -Errno.EISDIR;
        }
        int end = (int) pos + bytes.length;
        if (end > node.data.length) {
            node.data = java.util.Arrays.copyOf(node.data, end);
        }
        System.arraycopy(bytes, 0, node.data, (int) pos, bytes.length);
        return bytes.length;
    }

    private void writeFile(String path, byte[] bytes, boolean append) {
        write(lookup(path), bytes, append);
    }

    /**
     * Truncates a file, as an open with {@code O_TRUNC} does: a regular file is emptied; a pseudo file runs
     * its truncate operation, if it has one (clearing {@code trace}, or every {@code kprobe_events} probe).
     *
     * @param node the inode
     * @return 0 or a negative errno that fails the open
     */
    public int truncate(Inode node) {
        if (node.pseudo != null) {
            // Outside the tree lock: the operation may unmount files (event directories) itself.
            return node.pseudo.truncate() == null ? 0 : node.pseudo.truncate().getAsInt();
        }
        synchronized (this) {
            if (!node.isDir()) {
                node.data = new byte[0];
            }
        }
        return 0;
    }

    /** @param node a directory @return its entries' names, sorted */
    public synchronized List<String> list(Inode node) {
        return node.isDir() ? new ArrayList<>(node.children.keySet()) : List.of();
    }
}
