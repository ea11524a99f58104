package dev.ksim.cli.work;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.kernel.fs.Vfs;
import dev.ksim.kernel.proc.Process;
import java.util.List;

/** File-system helpers for the workload commands, going through the process's system calls. */
final class SimFiles {
    private SimFiles() {
    }

    /**
     * A directory's entries: the process opens it ({@code O_DIRECTORY}, so permissions and errors are the
     * kernel's) and the names are read from the file system.
     *
     * @param p the process
     * @param path the directory
     * @return the sorted names, or null with the errno in {@code errno[0]}
     */
    static List<String> list(Process p, String path, long[] errno) {
        long fd = p.open(path, Process.O_RDONLY | Process.O_DIRECTORY, 0);
        if (fd < 0) {
            errno[0] = fd;
            return null;
        }
        p.close((int) fd);
        Vfs vfs = Invocation.current().session().kernel().vfs();
        Vfs.Inode node = vfs.lookup(Vfs.resolve("/", path));
        return node == null ? List.of() : vfs.list(node);
    }

    /**
     * @param p the process
     * @param path a path
     * @return whether it is a directory
     */
    static boolean isDirectory(Process p, String path) {
        long fd = p.open(path, Process.O_RDONLY | Process.O_DIRECTORY, 0);
        if (fd < 0) {
            return false;
        }
        p.close((int) fd);
        return true;
    }

    /** @param path a path @return its last component */
    static String basename(String path) {
        String s = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return s.substring(s.lastIndexOf('/') + 1);
    }
}
