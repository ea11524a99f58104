package dev.ksim.cli.kmod;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.kernel.fs.Vfs;
import dev.ksim.kernel.proc.Process;
import java.util.List;

/**
 * What kmod learns about a loaded module from sysfs, read by the tool's process through system calls:
 * {@code /sys/module/<name>/initstate}, {@code refcnt} and the {@code holders} directory.
 */
final class ModuleStatus {
    private ModuleStatus() {
    }

    /**
     * @param p the tool's process
     * @param name the module
     * @return its initstate ({@code live}, {@code coming}, {@code going}), or null if not loaded
     */
    static String initstate(Process p, String name) {
        String s = p.cat("/sys/module/" + name + "/initstate");
        return s == null ? null : s.strip();
    }

    /**
     * @param p the tool's process
     * @param name the module
     * @return its reference count
     */
    static int refcnt(Process p, String name) {
        String s = p.cat("/sys/module/" + name + "/refcnt");
        try {
            return s == null ? 0 : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * @param p the tool's process
     * @param name the module
     * @return the modules holding it, as the holders directory lists them
     */
    static List<String> holders(Process p, String name) {
        String dir = "/sys/module/" + name + "/holders";
        long fd = p.open(dir, Process.O_RDONLY | Process.O_DIRECTORY, 0);
        if (fd < 0) {
            return List.of();
        }
        p.close((int) fd);
        Vfs vfs = Invocation.current().session().kernel().vfs();
        Vfs.Inode node = vfs.lookup(dir);
        return node == null ? List.of() : vfs.list(node);
    }
}
