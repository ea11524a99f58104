package dev.ksim.loader.image;

import java.util.List;

/**
 * A module's {@code .modinfo}: what {@code @ModuleInfo} declares and its parameters, read from the
 * bytecode without loading it.
 *
 * @param license {@code MODULE_LICENSE}, or {@code null} when the module declares none
 * @param author {@code MODULE_AUTHOR}, or empty
 * @param description {@code MODULE_DESCRIPTION}, or empty
 * @param version {@code MODULE_VERSION}, or empty
 * @param params the parameters, in declaration order
 */
public record ModuleMeta(String license, String author, String description, String version, List<ParamSpec> params) {
    /** The license the kernel records for a module without {@code MODULE_LICENSE}. */
    public static final String UNSPECIFIED = "unspecified";

    public ModuleMeta {
        params = List.copyOf(params);
    }

    /** @return the license, or {@code "unspecified"} */
    public String effectiveLicense() {
        return license == null ? UNSPECIFIED : license;
    }

    /**
     * {@code license_is_gpl_compatible()}: whether the module may use {@code EXPORT_SYMBOL_GPL} symbols.
     *
     * @return true for GPL, GPL v2, GPL and additional rights, Dual BSD/GPL, Dual MIT/GPL, Dual MPL/GPL
     */
    public boolean gplCompatible() {
        String l = effectiveLicense();
        return l.equals("GPL") || l.equals("GPL v2") || l.equals("GPL and additional rights")
                || l.equals("Dual BSD/GPL") || l.equals("Dual MIT/GPL") || l.equals("Dual MPL/GPL");
    }
}
