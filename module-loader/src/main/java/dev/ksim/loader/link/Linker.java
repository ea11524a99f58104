package dev.ksim.loader.link;

import dev.ksim.loader.image.ClassFacts;
import dev.ksim.loader.image.ModuleImage;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code simplify_symbols()} for a Java module: resolves every class, field and method the module's
 * bytecode names against its own classes, the kernel's exports ({@link ExportPolicy}) and the public
 * classes of loaded modules. What resolves nowhere is an unknown symbol.
 */
public final class Linker {
    private Linker() {
    }

    /**
     * The outcome of linking.
     *
     * @param unknown the unresolved symbols in the order found, as dmesg names them:
     *        {@code java.lang.System.exit}, {@code dev.ksim.kernel.SimKernel}, or for a GPL-only function
     *        used by a module that is not GPL, its bare name ({@code register_kprobe})
     * @param imports classes resolved from other modules: internal name → the exporting module
     * @param <M> the type of a loaded module
     */
    public record Result<M>(List<String> unknown, Map<String, M> imports) {
    }

    /**
     * Links a module.
     *
     * @param image the module
     * @param gplCompatible whether its license may use GPL-only exports
     * @param exporter finds the loaded module exporting a class (by internal name), or returns null
     * @param <M> the type of a loaded module
     * @return the unknown symbols and the imports
     */
    public static <M> Result<M> link(ModuleImage image, boolean gplCompatible, Function<String, M> exporter) {
        ExportPolicy policy = ExportPolicy.INSTANCE;
        Set<String> unknown = new LinkedHashSet<>();
        Map<String, M> imports = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : image.classes().entrySet()) {
            References refs = References.scan(e.getValue());
            for (String c : refs.classes()) {
                if (image.classes().containsKey(c) || policy.exportsClass(c) || imports.containsKey(c)) {
                    continue;
                }
                M m = exporter.apply(c);
                if (m != null) {
                    imports.put(c, m);
                } else {
                    unknown.add(dotted(c));
                }
            }
            for (References.Member m : refs.members()) {
                String owner = m.owner();
                if (owner.startsWith("[")) {
                    continue;
                }
                if (image.classes().containsKey(owner)) {
                    if (!m.method()) {
                        continue;
                    }
                    owner = declaringOutside(image, owner, m.name() + m.descriptor());
                    if (owner == null) {
                        continue;
                    }
                }
                if (!policy.exportsClass(owner)) {
                    continue;
                }
                if (!policy.exportsMember(owner, m.name())) {
                    unknown.add(dotted(owner) + "." + m.name());
                } else if (!gplCompatible && policy.gplOnly(owner, m.name())) {
                    unknown.add(m.name());
                }
            }
            for (References.Member b : refs.bootstraps()) {
                if (!policy.exportsBootstrap(b.owner(), b.name())) {
                    unknown.add(dotted(b.owner()) + "." + b.name());
                }
            }
        }
        return new Result<>(List.copyOf(unknown), imports);
    }

    /**
     * For a method named through one of the module's own classes: the first class outside the module on
     * its superclass chain, if no class of the module on the way declares the method.
     */
    private static String declaringOutside(ModuleImage image, String owner, String nameAndDesc) {
        String c = owner;
        while (c != null && image.classes().containsKey(c)) {
            ClassFacts f = image.facts(c);
            if (f.methods().contains(nameAndDesc)) {
                return null;
            }
            c = f.superName();
        }
        return c;
    }

    /** @param internal an internal name @return the binary name */
    static String dotted(String internal) {
        return internal.replace('/', '.');
    }
}
