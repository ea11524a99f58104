package dev.ksim.kernel.fs;

import dev.ksim.kernel.diag.Diagnostics;
import dev.ksim.kernel.diag.Taint;
import dev.ksim.kernel.kprobes.KprobeEngine;
import dev.ksim.kernel.text.KernelText;
import dev.ksim.kernel.text.ModuleText;
import dev.ksim.kernel.text.Symbol;
import dev.ksim.sdk.Errno;
import java.util.Locale;

/**
 * The procfs, sysctl and debugfs files of the core kernel and of kprobes, in the kernel's formats.
 */
public final class KernelViews {
    private KernelViews() {
    }

    /**
     * Mounts the views.
     *
     * @param vfs the file system
     * @param text kernel text (for kallsyms)
     * @param kprobes the kprobe engine
     * @param taint the taint flags
     * @param release {@code uname -r}
     * @param diag the kernel's reports (for the panic sysctls)
     * @param watchdog the soft-lockup detector (for {@code watchdog_thresh})
     */
    public static void mount(Vfs vfs, KernelText text, KprobeEngine kprobes, Taint taint, String release,
            Diagnostics diag, dev.ksim.kernel.diag.SoftLockupWatchdog watchdog) {
        // drivers/char/mem.c: /dev/null reads as empty and takes every write.
        vfs.mount("/dev/null", new PseudoFile(0666, () -> "", data -> 0, () -> 0, null));
        vfs.mount("/proc/kallsyms", PseudoFile.readOnly(0444, () -> kallsyms(text, kprobes)));
        vfs.mount("/proc/version", PseudoFile.readOnly(0444, () -> dev.ksim.kernel.KernelLog.linuxBanner(release)));
        vfs.mount("/proc/sys/kernel/tainted", new PseudoFile(0644, () -> taint.mask() + "\n", s -> {
            try {
                taint.addMask(Long.parseLong(s.trim()));
                return 0;
            } catch (NumberFormatException e) {
                return -Errno.EINVAL;
            }
        }));
        vfs.mount("/proc/sys/kernel/panic_on_warn", new PseudoFile(0644, () -> diag.panicOnWarn() + "\n",
                s -> writeInt(s, v -> {
                    if (v < 0 || v > 1) {
                        return -Errno.EINVAL;
                    }
                    diag.setPanicOnWarn(v);
                    return 0;
                })));
        vfs.mount("/proc/sys/kernel/panic_on_oops", new PseudoFile(0644, () -> diag.panicOnOops() + "\n",
                s -> writeInt(s, v -> {
                    diag.setPanicOnOops(v);
                    return 0;
                })));
        vfs.mount("/proc/sys/kernel/watchdog_thresh", new PseudoFile(0644, () -> watchdog.thresh() + "\n",
                s -> writeInt(s, v -> watchdog.setThresh(v) ? 0 : -Errno.EINVAL)));
        vfs.mount("/proc/sys/kernel/osrelease", PseudoFile.readOnly(0444, () -> release + "\n"));
        vfs.mount("/sys/kernel/debug/kprobes/list", PseudoFile.readOnly(0400, kprobes::debugfsList));
        vfs.mount("/sys/kernel/debug/kprobes/blacklist", PseudoFile.readOnly(0400, kprobes::debugfsBlacklist));
        vfs.mount("/sys/kernel/debug/ksim/kprobe_misses", PseudoFile.readOnly(0400, kprobes::debugfsMisses));
        vfs.mount("/sys/kernel/debug/kprobes/enabled", new PseudoFile(0600, () -> kprobes.allArmed() ? "1\n" : "0\n",
                s -> writeEnabled(kprobes, s)));
    }

    /** {@code proc_dointvec}: one decimal integer, else -EINVAL. */
    private static int writeInt(String s, java.util.function.IntUnaryOperator store) {
        try {
            return store.applyAsInt(Integer.parseInt(s.strip()));
        } catch (NumberFormatException e) {
            return -Errno.EINVAL;
        }
    }

    /** {@code kstrtobool}: y/Y/t/T/1/on true; n/N/f/F/0/off false; else -EINVAL. */
    static int writeEnabled(KprobeEngine kprobes, String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        Boolean on = null;
        if (!v.isEmpty()) {
            switch (v.charAt(0)) {
                case 'y', 't', '1' -> on = true;
                case 'n', 'f', '0' -> on = false;
                case 'o' -> on = v.startsWith("on") ? Boolean.TRUE : v.startsWith("of") ? Boolean.FALSE : null;
                default -> on = null;
            }
        }
        if (on == null) {
            return -Errno.EINVAL;
        }
        if (on) {
            kprobes.armAll();
        } else {
            kprobes.disarmAll();
        }
        return 0;
    }

    /**
     * {@code /proc/kallsyms}: {@code %px %c %s} per symbol, {@code \t[%s]} after module symbols, as root
     * sees it.
     *
     * @param text the kernel text
     * @param kprobes the engine (its instruction pages are listed)
     * @return the file's contents
     */
    public static String kallsyms(KernelText text, KprobeEngine kprobes) {
        StringBuilder b = new StringBuilder(64 * 1024);
        for (Symbol s : text.coreSymbols()) {
            b.append(String.format("%016x %c %s%n", s.address(), s.type(), s.name()));
        }
        for (ModuleText mt : text.modules()) {
            for (Symbol s : mt.symbols) {
                b.append(String.format("%016x %c %s\t[%s]%n", s.address(), s.type(), s.name(), s.module()));
            }
        }
        for (long page : kprobes.insnPages()) {
            b.append(String.format("%016x t kprobe_insn_page\t[__builtin__kprobes]%n", page));
        }
        return b.toString().replace(System.lineSeparator(), "\n");
    }
}
