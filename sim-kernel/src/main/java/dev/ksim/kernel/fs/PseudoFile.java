package dev.ksim.kernel.fs;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A file whose contents the kernel generates: procfs, sysfs, debugfs and tracefs entries.
 *
 * @param mode permission bits, e.g. {@code 0444}, {@code 0600}
 * @param read produces the contents on each read
 * @param write consumes a write and returns 0 or a negative errno; {@code null} for read-only files
 */
public record PseudoFile(int mode, Supplier<String> read, Function<String, Integer> write) {
    /**
     * @param mode permission bits
     * @param read produces the contents
     * @return a read-only file
     */
    public static PseudoFile readOnly(int mode, Supplier<String> read) {
        return new PseudoFile(mode, read, null);
    }

    /**
     * Whether an open for this access mode succeeds, as kernfs decides: reading needs a read bit and
     * writing a write bit and a write operation, whoever the caller is (root included).
     *
     * @param accMode {@code O_RDONLY} (0), {@code O_WRONLY} (1) or {@code O_RDWR} (2)
     * @return true if the open is allowed
     */
    public boolean permits(int accMode) {
        boolean read = accMode == 0 || accMode == 2;
        boolean write = accMode == 1 || accMode == 2;
        return (!read || (mode & 0444) != 0) && (!write || ((mode & 0222) != 0 && this.write != null));
    }
}
