package dev.ksim.loader.image;

import java.util.Locale;

/**
 * Module names as kmod and the kernel spell them: a module is named after its file without the
 * extension, with dashes turned into underscores ({@code kprobe-example.jar} → {@code kprobe_example});
 * a module class given directly is named after its simple name in snake case ({@code KprobeExample} →
 * {@code kprobe_example}).
 */
public final class ModuleNames {
    /** {@code MODULE_NAME_LEN - 1}: the longest module name the kernel stores. */
    public static final int MAX_LENGTH = 55;

    private ModuleNames() {
    }

    /**
     * @param name a module name as typed ({@code kprobe-example})
     * @return it with dashes turned into underscores, as kmod normalises names
     */
    public static String normalize(String name) {
        return name.replace('-', '_');
    }

    /**
     * @param fileName a file name such as {@code kprobe-example.jar} (directories are ignored)
     * @return the module's name
     */
    public static String fromFileName(String fileName) {
        String base = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        int dot = base.lastIndexOf('.');
        return normalize(dot > 0 ? base.substring(0, dot) : base);
    }

    /**
     * @param className a binary or internal class name, e.g. {@code dev.ksim.samples.kprobes.KprobeExample}
     * @return its simple name in snake case ({@code kprobe_example})
     */
    public static String fromClassName(String className) {
        String simple = className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('/')) + 1);
        simple = simple.substring(simple.lastIndexOf('$') + 1);
        return simple.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2")
                .toLowerCase(Locale.ROOT);
    }
}
