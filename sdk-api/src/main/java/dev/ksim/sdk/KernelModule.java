package dev.ksim.sdk;

/**
 * A loadable kernel module: {@code module_init} is {@link #init()}, {@code module_exit} is
 * {@link #exit()}. Implement it in a public class with a public no-argument constructor, annotated with
 * {@link ModuleInfo}; parameters are fields annotated with {@link ModuleParam}.
 *
 * <p>A module that does not override {@link #exit()} has no exit function: like a C module without
 * {@code module_exit}, it cannot be unloaded (except with {@code rmmod -f}).
 */
public interface KernelModule {

    /**
     * Called by {@code insmod} after the parameters are set.
     *
     * @return 0 on success, or a negative errno: the module is then unloaded and insmod fails with it
     */
    int init();

    /** Called by {@code rmmod}: undo everything {@link #init()} did, unregistering every probe. */
    default void exit() {
    }
}
