package dev.ksim.loader;

/**
 * The kernel's module signature checking. ksim modules are never signed, so this decides between the
 * unsigned-module taint and a refusal.
 */
public enum ModuleSigning {
    /** {@code CONFIG_MODULE_SIG=n}: no check, no taint. */
    OFF,
    /**
     * {@code CONFIG_MODULE_SIG=y}, not enforcing (what distribution kernels ship, and ksim's default):
     * unsigned modules load and taint the kernel E, with {@code module verification failed} logged once.
     */
    PERMISSIVE,
    /** {@code CONFIG_MODULE_SIG_FORCE=y} or {@code module.sig_enforce=1}: unsigned modules are rejected. */
    ENFORCE
}
