package dev.ksim.sdk;

/**
 * The {@code show} function of a single-record proc file ({@code int (*show)(struct seq_file *, void *)}): it
 * writes the file's contents with {@link ProcFs#seq_printf} each time a reader opens and reads the file.
 */
@FunctionalInterface
public interface ProcShow {
    /**
     * @param m where to write
     * @param v the data given to {@link ProcFs#proc_create_single_data} ({@code null} otherwise)
     * @return 0 (ksim gives the reader what was written either way)
     */
    int show(SeqFile m, Object v);
}
