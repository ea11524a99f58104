package dev.ksim.sdk;

import dev.ksim.sdk.spi.KernelBinding;

/**
 * {@code printk} and the {@code pr_*} helpers of {@code <linux/printk.h>}, writing to the kernel log
 * that {@code dmesg} reads. Use it with {@code import static dev.ksim.sdk.Printk.*;}.
 *
 * <p>Formats are the kernel's, not {@link String#format}'s: {@code %d %i %u %ld %lu %lld %llu %x %lx
 * %llx %s %c %%} with widths, precision and the {@code - + 0 #} and space flags; {@code %p} prints a
 * pointer hashed as the kernel hashes it ({@code 00000000xxxxxxxx}), {@code %px} the raw value,
 * {@code %pS} {@code symbol+0xoff/0xsize [module]} and {@code %ps} the bare symbol. Integer arguments
 * may be any {@link Number}; a {@code Kprobe}'s address is its {@code addr} field. A level prefix such
 * as {@link #KERN_INFO} may start the format, exactly as in C:
 * {@code printk(KERN_INFO + "Planted kprobe at %p\n", kp.addr)}.
 */
public final class Printk {
    /** {@code KERN_SOH}: the start-of-header byte that introduces a level. */
    public static final String KERN_SOH = "\001";
    /** System is unusable. */
    public static final String KERN_EMERG = KERN_SOH + "0";
    /** Action must be taken immediately. */
    public static final String KERN_ALERT = KERN_SOH + "1";
    /** Critical conditions. */
    public static final String KERN_CRIT = KERN_SOH + "2";
    /** Error conditions. */
    public static final String KERN_ERR = KERN_SOH + "3";
    /** Warning conditions. */
    public static final String KERN_WARNING = KERN_SOH + "4";
    /** Normal but significant condition. */
    public static final String KERN_NOTICE = KERN_SOH + "5";
    /** Informational. */
    public static final String KERN_INFO = KERN_SOH + "6";
    /** Debug-level messages. */
    public static final String KERN_DEBUG = KERN_SOH + "7";
    /** The default log level (that of a printk without a level: 4, warning). */
    public static final String KERN_DEFAULT = KERN_SOH + "d";
    /** Continues the previous line ({@link #pr_cont}). */
    public static final String KERN_CONT = KERN_SOH + "c";

    private Printk() {
    }

    /**
     * Formats and logs a message.
     *
     * @param fmt the format, optionally starting with a {@code KERN_*} level
     * @param args the arguments
     * @return the number of characters logged
     */
    public static int printk(String fmt, Object... args) {
        return KernelBinding.current().vprintk(fmt, args);
    }

    /** Logs at {@link #KERN_EMERG}. @param fmt the format @param args its arguments @return characters logged */
    public static int pr_emerg(String fmt, Object... args) {
        return printk(KERN_EMERG + fmt, args);
    }

    /** Logs at {@link #KERN_ALERT}. @param fmt the format @param args its arguments @return characters logged */
    public static int pr_alert(String fmt, Object... args) {
        return printk(KERN_ALERT + fmt, args);
    }

    /** Logs at {@link #KERN_CRIT}. @param fmt the format @param args its arguments @return characters logged */
    public static int pr_crit(String fmt, Object... args) {
        return printk(KERN_CRIT + fmt, args);
    }

    /** Logs at {@link #KERN_ERR}. @param fmt the format @param args its arguments @return characters logged */
    public static int pr_err(String fmt, Object... args) {
        return printk(KERN_ERR + fmt, args);
    }

    /** Logs at {@link #KERN_WARNING}. @param fmt the format @param args its arguments @return characters logged */
    public static int pr_warn(String fmt, Object... args) {
        return printk(KERN_WARNING + fmt, args);
    }

    /** Logs at {@link #KERN_NOTICE}. @param fmt the format @param args its arguments @return characters logged */
    public static int pr_notice(String fmt, Object... args) {
        return printk(KERN_NOTICE + fmt, args);
    }

    /** Logs at {@link #KERN_INFO}. @param fmt the format @param args its arguments @return characters logged */
    public static int pr_info(String fmt, Object... args) {
        return printk(KERN_INFO + fmt, args);
    }

    /**
     * Logs at {@link #KERN_DEBUG}, as {@code pr_debug} does in a file compiled with {@code DEBUG}.
     *
     * @param fmt the format
     * @param args its arguments
     * @return characters logged
     */
    public static int pr_debug(String fmt, Object... args) {
        return printk(KERN_DEBUG + fmt, args);
    }

    /**
     * Continues the previous message of the same task.
     *
     * @param fmt the format
     * @param args its arguments
     * @return characters logged
     */
    public static int pr_cont(String fmt, Object... args) {
        return printk(KERN_CONT + fmt, args);
    }
}
