package dev.ksim.sdk;

import dev.ksim.sdk.spi.KernelBinding;

/**
 * Files under {@code /proc} for a module's user-space readers, as {@code <linux/proc_fs.h>} and
 * {@code <linux/seq_file.h>} offer them: {@code import static dev.ksim.sdk.ProcFs.*;}
 *
 * <pre>{@code
 * ProcDirEntry pde;
 * int show(SeqFile m, Object v) { seq_printf(m, "events %d\n", events); return 0; }
 * public int init() { pde = proc_create_single("mymod", 0444, null, this::show); return pde == null ? -ENOMEM : 0; }
 * public void exit() { proc_remove(pde); }
 * }</pre>
 *
 * <p>Each {@code open}+{@code read} of the file calls {@code show} once and reads what it wrote, as
 * {@code single_open()} files do. The module must remove its files in {@code exit()}: a real kernel would call
 * the freed show function on the next read; ksim warns and removes what a module leaves.
 */
public final class ProcFs {
    private ProcFs() {
    }

    /**
     * {@code proc_create_single()}: a read-only file whose contents {@code show} writes.
     *
     * @param name the file's name
     * @param mode its permission bits; 0 means {@code 0444}
     * @param parent its directory, {@code null} for {@code /proc}
     * @param show writes the contents
     * @return the entry, or {@code null} if it could not be created (the name exists: the kernel warns
     *     {@code proc_dir_entry '/proc/NAME' already registered})
     */
    public static ProcDirEntry proc_create_single(String name, int mode, ProcDirEntry parent, ProcShow show) {
        return KernelBinding.current().proc_create_single_data(name, mode, parent, show, null);
    }

    /**
     * {@code proc_create_single_data()}: as {@link #proc_create_single}, passing {@code data} to {@code show}.
     *
     * @param name the file's name
     * @param mode its permission bits; 0 means {@code 0444}
     * @param parent its directory, or {@code null}
     * @param show writes the contents
     * @param data given to {@code show} as {@code v}
     * @return the entry, or {@code null}
     */
    public static ProcDirEntry proc_create_single_data(String name, int mode, ProcDirEntry parent, ProcShow show,
            Object data) {
        return KernelBinding.current().proc_create_single_data(name, mode, parent, show, data);
    }

    /**
     * {@code proc_remove()}: removes the file; a reader already in {@code show} finishes first. {@code null} is
     * ignored.
     *
     * @param de the entry
     */
    public static void proc_remove(ProcDirEntry de) {
        if (de != null) {
            KernelBinding.current().proc_remove(de);
        }
    }

    /**
     * {@code seq_printf()}: formats into the file, as printk formats.
     *
     * @param m the seq_file
     * @param fmt the format
     * @param args its arguments
     */
    public static void seq_printf(SeqFile m, String fmt, Object... args) {
        m.printf(fmt, args);
    }

    /**
     * {@code seq_puts()}.
     *
     * @param m the seq_file
     * @param s the text
     */
    public static void seq_puts(SeqFile m, String s) {
        m.puts(s);
    }

    /**
     * {@code seq_putc()}.
     *
     * @param m the seq_file
     * @param c the character
     */
    public static void seq_putc(SeqFile m, char c) {
        m.puts(String.valueOf(c));
    }
}
