package dev.ksim.kernel.fs;

import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * A file whose contents the kernel generates: procfs, sysfs, debugfs and tracefs entries.
 *
 * @param mode permission bits, e.g. {@code 0444}, {@code 0600}
 * @param read produces the contents on each read
 * @param write consumes a write and returns 0 or a negative errno; {@code null} for read-only files
 * @param truncate what an open with {@code O_TRUNC} for writing does (returns 0 or a negative errno that fails the
 *        open, as {@code probes_open} returns {@code -EBUSY}); {@code null} when truncation is ignored
 * @param pipe a consuming reader ({@code trace_pipe}); {@code null} for files read as a whole from their position
 */
public record PseudoFile(int mode, Supplier<String> read, Function<String, Integer> write, IntSupplier truncate,
        Pipe pipe) {

    /**
     * A file read by consuming: each {@code read(2)} takes what is there, and blocks while there is nothing.
     */
    public interface Pipe {
        /**
         * Takes up to {@code max} bytes without blocking.
         *
         * @param max the most bytes wanted
         * @return the bytes taken; empty when there is nothing to read
         */
        byte[] take(int max);

        /**
         * Waits until there is something to take: the sleep of a reader, outside any CPU.
         *
         * @throws InterruptedException if the reader was interrupted (a signal)
         */
        void awaitData() throws InterruptedException;
    }

    /**
     * @param mode permission bits
     * @param read produces the contents on each read
     * @param write consumes a write; {@code null} for read-only files
     */
    public PseudoFile(int mode, Supplier<String> read, Function<String, Integer> write) {
        this(mode, read, write, null, null);
    }

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
