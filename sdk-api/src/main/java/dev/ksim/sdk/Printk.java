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

    private static final LevelFormats EMERG = new LevelFormats(KERN_EMERG);
    private static final LevelFormats ALERT = new LevelFormats(KERN_ALERT);
    private static final LevelFormats CRIT = new LevelFormats(KERN_CRIT);
    private static final LevelFormats ERR = new LevelFormats(KERN_ERR);
    private static final LevelFormats WARNING = new LevelFormats(KERN_WARNING);
    private static final LevelFormats NOTICE = new LevelFormats(KERN_NOTICE);
    private static final LevelFormats INFO = new LevelFormats(KERN_INFO);
    private static final LevelFormats DEBUG = new LevelFormats(KERN_DEBUG);
    private static final LevelFormats CONT = new LevelFormats(KERN_CONT);

    /**
     * The formats of one {@code pr_*} function with its level in front ({@code KERN_INFO + fmt}), which C
     * joins at compile time: a small cache so a format printed again is not joined again. Entries are
     * immutable and replaced whole, so threads racing on a slot at worst join a format twice.
     */
    private static final class LevelFormats {
        private static final int SLOTS = 64;
        private final String level;
        private final Joined[] slots = new Joined[SLOTS];

        LevelFormats(String level) {
            this.level = level;
        }

        String join(String fmt) {
            if (fmt == null) {
                return level + fmt;
            }
            int slot = fmt.hashCode() & (SLOTS - 1);
            Joined j = slots[slot];
            if (j != null && j.fmt == fmt) {
                return j.joined;
            }
            String joined = level + fmt;
            slots[slot] = new Joined(fmt, joined);
            return joined;
        }

        /** A format and its joined form. */
        private record Joined(String fmt, String joined) {
        }
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
        return printk(EMERG.join(fmt), args);
    }

    /** Logs at {@link #KERN_ALERT}. @param fmt the format @param args its arguments @return characters logged */
    public static int pr_alert(String fmt, Object... args) {
        return printk(ALERT.join(fmt), args);
    }

    /** Logs at {@link #KERN_CRIT}. @param fmt the format @param args its arguments @return characters logged */
    public static int pr_crit(String fmt, Object... args) {
        return printk(CRIT.join(fmt), args);
    }

    /** Logs at {@link #KERN_ERR}. @param fmt the format @param args its arguments @return characters logged */
    public static int pr_err(String fmt, Object... args) {
        return printk(ERR.join(fmt), args);
    }

    /** Logs at {@link #KERN_WARNING}. @param fmt the format @param args its arguments @return characters logged */
    public static int pr_warn(String fmt, Object... args) {
        return printk(WARNING.join(fmt), args);
    }

    /** Logs at {@link #KERN_NOTICE}. @param fmt the format @param args its arguments @return characters logged */
    public static int pr_notice(String fmt, Object... args) {
        return printk(NOTICE.join(fmt), args);
    }

    /** Logs at {@link #KERN_INFO}. @param fmt the format @param args its arguments @return characters logged */
    public static int pr_info(String fmt, Object... args) {
        return printk(INFO.join(fmt), args);
    }

    /**
     * Logs at {@link #KERN_DEBUG}, as {@code pr_debug} does in a file compiled with {@code DEBUG}.
     *
     * @param fmt the format
     * @param args its arguments
     * @return characters logged
     */
    public static int pr_debug(String fmt, Object... args) {
        return printk(DEBUG.join(fmt), args);
    }

    /**
     * Continues the previous message of the same task.
     *
     * @param fmt the format
     * @param args its arguments
     * @return characters logged
     */
    public static int pr_cont(String fmt, Object... args) {
        return printk(CONT.join(fmt), args);
    }
}
