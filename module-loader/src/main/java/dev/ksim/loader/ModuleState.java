package dev.ksim.loader;

/** {@code enum module_state}. */
public enum ModuleState {
    /** Being set up: not yet visible in lsmod or /proc/modules. */
    UNFORMED,
    /** Formed, running its init ("Loading" in /proc/modules). */
    COMING,
    /** Loaded ("Live"). */
    LIVE,
    /** Being unloaded ("Unloading"). */
    GOING
}
