package dev.ksim.sdk;

/**
 * {@code struct proc_dir_entry}: a file a module created under {@code /proc} with
 * {@link ProcFs#proc_create_single}. Pass it to {@link ProcFs#proc_remove} in {@code exit()}.
 */
public final class ProcDirEntry {
    /** The file's name ({@code execmon}). */
    public final String name;
    /** The directory it is in; {@code null} for {@code /proc} itself. */
    public final ProcDirEntry parent;

    /**
     * Made by the kernel (or a test's mock kernel).
     *
     * @param name the name
     * @param parent the parent directory, or {@code null}
     */
    public ProcDirEntry(String name, ProcDirEntry parent) {
        this.name = name;
        this.parent = parent;
    }

    /** @return the absolute path ({@code /proc/execmon}) */
    public String path() {
        return (parent == null ? "/proc" : parent.path()) + "/" + name;
    }

    @Override
    public String toString() {
        return path();
    }
}
