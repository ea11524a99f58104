package dev.ksim.sdk;

import java.util.function.BiFunction;

/**
 * {@code struct seq_file}: the buffer a {@link ProcShow} function writes a proc file's contents into. The kernel
 * makes one per read of the file (as {@code seq_read} does for {@code single_open} files) and formats with its
 * own {@code vsnprintf}.
 */
public final class SeqFile {
    /** What was written; used by one reader at a time (the show call). */
    private final StringBuilder buf = new StringBuilder();
    private final BiFunction<String, Object[], String> vsnprintf;

    /**
     * Made by the kernel (or a test's mock kernel).
     *
     * @param vsnprintf the kernel's formatter: format and arguments to text
     */
    public SeqFile(BiFunction<String, Object[], String> vsnprintf) {
        this.vsnprintf = vsnprintf;
    }

    void printf(String fmt, Object[] args) {
        buf.append(vsnprintf.apply(fmt, args));
    }

    void puts(String s) {
        buf.append(s);
    }

    /** @return what the show function wrote: the file's contents */
    public String contents() {
        return buf.toString();
    }

    @Override
    public String toString() {
        return contents();
    }
}
