package dev.ksim.loader;

/**
 * How the module loader behaves.
 *
 * @param signing module signature checking (default {@link ModuleSigning#PERMISSIVE}, like a
 *        distribution kernel)
 * @param mirrorToSlf4j whether the kernel log is mirrored to SLF4J, one logger per module
 */
public record LoaderOptions(ModuleSigning signing, boolean mirrorToSlf4j) {
    public LoaderOptions {
        if (signing == null) {
            throw new IllegalArgumentException("signing must be set");
        }
    }

    /** @return permissive signing, SLF4J mirror on */
    public static LoaderOptions defaults() {
        return new LoaderOptions(ModuleSigning.PERMISSIVE, true);
    }

    /** @param s signature checking @return a copy with it */
    public LoaderOptions withSigning(ModuleSigning s) {
        return new LoaderOptions(s, mirrorToSlf4j);
    }

    /** @param on whether to mirror to SLF4J @return a copy with it */
    public LoaderOptions withMirrorToSlf4j(boolean on) {
        return new LoaderOptions(signing, on);
    }
}
