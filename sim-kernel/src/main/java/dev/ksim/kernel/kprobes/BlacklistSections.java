package dev.ksim.kernel.kprobes;

import dev.ksim.kernel.text.FnAttr;
import dev.ksim.kernel.text.FunctionDef;
import java.util.List;

/**
 * Which core functions {@code populate_kprobe_blacklist} puts on the kprobe blacklist: those marked
 * {@code NOKPROBE_SYMBOL}, then every function of {@code .kprobes.text}, {@code .noinstr.text} and (x86)
 * {@code .entry.text}. Public so tools can tell, from a kernel profile's function list alone, which
 * symbols {@code register_kprobe} refuses with {@code -EINVAL}.
 */
public final class BlacklistSections {
    /** The attributes, in the order the kernel adds their functions. */
    static final List<FnAttr> ORDER = List.of(FnAttr.NOKPROBE, FnAttr.KPROBES_TEXT, FnAttr.NOINSTR,
            FnAttr.ENTRY_TEXT);

    private BlacklistSections() {
    }

    /**
     * @param def a core function
     * @return whether the kernel blacklists it
     */
    public static boolean blacklisted(FunctionDef def) {
        for (FnAttr a : ORDER) {
            if (def.has(a)) {
                return true;
            }
        }
        return false;
    }
}
