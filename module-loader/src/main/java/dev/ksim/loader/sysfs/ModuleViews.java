package dev.ksim.loader.sysfs;

import dev.ksim.kernel.fs.PseudoFile;
import dev.ksim.kernel.fs.Vfs;
import java.util.List;
import java.util.function.Supplier;

/**
 * The module files of procfs and sysfs: {@code /proc/modules} and, per module,
 * {@code /sys/module/<name>/{initstate,refcnt,taint,coresize,initsize,version,holders/,parameters/}},
 * in the kernel's formats.
 */
public final class ModuleViews {
    /** What the views need to know about a module. */
    public interface View {
        /** @return its name */
        String name();

        /** @return its size in bytes */
        long size();

        /** @return its reference count */
        int refcount();

        /** @return the names of the modules using it */
        List<String> holderNames();

        /** @return whether it has init but no exit (shown as {@code [permanent]}) */
        boolean permanent();

        /** @return {@code "Live"}, {@code "Loading"} or {@code "Unloading"} */
        String procState();

        /** @return {@code "live"}, {@code "coming"} or {@code "going"} */
        String initState();

        /** @return its text's base address */
        long base();

        /** @return its taint letters ({@code "OE"}) */
        String taintLetters();

        /** @return its flags as {@code /proc/modules} shows them ({@code "(OE)"}) or empty */
        String flags();

        /** @return {@code MODULE_VERSION}, or empty */
        String version();
    }

    /** A parameter's sysfs file. */
    public interface ParamFile {
        /** @return its name */
        String name();

        /** @return its permission bits */
        int perm();

        /** @return what a read returns */
        String read();

        /**
         * @param value what was written
         * @return 0 or a negative errno
         */
        int write(String value);
    }

    private final Vfs vfs;

    /** @param vfs the file system */
    public ModuleViews(Vfs vfs) {
        this.vfs = vfs;
    }

    /**
     * Mounts {@code /proc/modules}.
     *
     * @param modules the formed modules, newest first
     */
    public void mountProcModules(Supplier<List<? extends View>> modules) {
        vfs.mount("/proc/modules", PseudoFile.readOnly(0444, () -> procModules(modules.get())));
    }

    /**
     * {@code /proc/modules}: {@code name size refcnt holders, state 0xaddress (flags)} per module.
     *
     * @param modules the formed modules, newest first
     * @return the file's contents
     */
    public static String procModules(List<? extends View> modules) {
        StringBuilder b = new StringBuilder();
        for (View m : modules) {
            b.append(m.name()).append(' ').append(m.size()).append(' ').append(m.refcount()).append(' ');
            StringBuilder deps = new StringBuilder();
            for (String h : m.holderNames()) {
                deps.append(h).append(',');
            }
            if (m.permanent()) {
                deps.append("[permanent],");
            }
            b.append(deps.length() == 0 ? "-" : deps).append(' ').append(m.procState());
            b.append(String.format(" 0x%016x", m.base()));
            String f = m.flags();
            if (!f.isEmpty()) {
                b.append(' ').append(f);
            }
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * {@code mod_sysfs_setup}: the module's directory.
     *
     * @param m the module
     * @param params its parameters with a non-zero permission
     */
    public void add(View m, List<? extends ParamFile> params) {
        String dir = dir(m.name());
        vfs.mount(dir + "/initstate", PseudoFile.readOnly(0444, () -> m.initState() + "\n"));
        vfs.mount(dir + "/refcnt", PseudoFile.readOnly(0444, () -> m.refcount() + "\n"));
        vfs.mount(dir + "/taint", PseudoFile.readOnly(0444, () -> m.taintLetters() + "\n"));
        vfs.mount(dir + "/coresize", PseudoFile.readOnly(0444, () -> m.size() + "\n"));
        vfs.mount(dir + "/initsize", PseudoFile.readOnly(0444, () -> "0\n"));
        if (!m.version().isEmpty()) {
            vfs.mount(dir + "/version", PseudoFile.readOnly(0444, () -> m.version() + "\n"));
        }
        vfs.mkdir(dir + "/holders", 0755);
        for (ParamFile p : params) {
            if (p.perm() == 0) {
                continue;
            }
            vfs.mount(dir + "/parameters/" + p.name(),
                    new PseudoFile(p.perm(), p::read, (p.perm() & 0222) != 0 ? p::write : null));
        }
    }

    /**
     * {@code sysfs_create_link(holders_dir, …)}: a module started using this one.
     *
     * @param target the module used
     * @param holder the module using it
     */
    public void addHolder(String target, String holder) {
        vfs.mount(dir(target) + "/holders/" + holder, PseudoFile.readOnly(0777, () -> ""));
    }

    /**
     * A module stopped using this one.
     *
     * @param target the module used
     * @param holder the module that used it
     */
    public void removeHolder(String target, String holder) {
        vfs.unmount(dir(target) + "/holders/" + holder);
    }

    /** @param name a module @return its directory */
    public static String dir(String name) {
        return "/sys/module/" + name;
    }

    /**
     * {@code mod_sysfs_teardown}.
     *
     * @param name the module
     */
    public void remove(String name) {
        vfs.unmount(dir(name));
    }
}
