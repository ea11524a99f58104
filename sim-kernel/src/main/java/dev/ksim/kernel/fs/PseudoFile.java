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
}
