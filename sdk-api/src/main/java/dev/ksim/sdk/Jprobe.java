package dev.ksim.sdk;

/**
 * {@code struct jprobe}: calls {@link #entry} with the probed function's own arguments at its entry
 * (kernels up to 4.14).
 *
 * <p>The entry handler has the probed function's prototype and must end with
 * {@link Kprobes#jprobe_return()}. Only one jprobe may sit on an address ({@code -EEXIST}) and only on a
 * function's entry ({@code -EINVAL}). Kernels from 4.15 disabled the API: on those profiles
 * {@code register_jprobe} returns {@code -ENOSYS}, as the 4.15 kernel's stub did.
 */
public class Jprobe {
    /** The probe at the function entry; set {@code kp.symbol_name} or {@code kp.addr}. */
    public final Kprobe kp = new Kprobe();
    /** The handler, called with the probed function's arguments. */
    public JprobeEntry entry;

    /** An empty jprobe; set {@code kp.symbol_name} and {@link #entry} before registering. */
    public Jprobe() {
    }

    /**
     * A jprobe on a function.
     *
     * @param symbol_name the probed function
     * @param entry the handler with the probed function's prototype
     */
    public Jprobe(String symbol_name, JprobeEntry entry) {
        kp.symbol_name = symbol_name;
        this.entry = entry;
    }
}
