package dev.ksim.check;

/**
 * The checks, each with the id printed in brackets after its findings ({@code [handler-sleeps]}) and
 * accepted by {@code @SuppressWarnings("ksim:handler-sleeps")}.
 */
public enum Rule {
    /** A sleeping SDK function or blocking JDK call reachable from a probe handler. */
    HANDLER_SLEEPS("handler-sleeps", Severity.ERROR),
    /** A probe registered in {@code init()} is not unregistered in {@code exit()}. */
    EXIT_UNREGISTER("exit-unregister", Severity.ERROR),
    /** {@code init()} fails after registering a probe and returns without unregistering it. */
    INIT_ERROR_PATH("init-error-path", Severity.WARNING),
    /** A struct registered again without clearing {@code addr} and {@code flags}. */
    REREGISTER("reregister", Severity.ERROR),
    /** A kretprobe on a non-zero offset: {@code register_kretprobe} returns {@code -EINVAL}. */
    KRETPROBE_OFFSET("kretprobe-offset", Severity.ERROR),
    /** A kretprobe {@code data_size} over {@code KRETPROBE_MAX_DATA_SIZE}: {@code -E2BIG}. */
    KRETPROBE_DATA_SIZE("kretprobe-data-size", Severity.ERROR),
    /** A kretprobe {@code maxactive} below the kernel's default. */
    KRETPROBE_MAXACTIVE("kretprobe-maxactive", Severity.WARNING),
    /** A probed symbol the selected kernel does not have: {@code -ENOENT}. */
    PROBE_SYMBOL("probe-symbol", Severity.ERROR),
    /** A probed symbol on the kprobe blacklist: {@code -EINVAL}. */
    PROBE_BLACKLISTED("probe-blacklisted", Severity.ERROR),
    /** No {@code MODULE_LICENSE}. */
    LICENSE_MISSING("license-missing", Severity.ERROR),
    /** A GPL-incompatible module using a GPL-only export. */
    LICENSE_GPL_ONLY("license-gpl-only", Severity.ERROR),
    /** A parameter without {@code MODULE_PARM_DESC}. */
    PARAM_DESC("param-desc", Severity.WARNING),
    /** A loop without an exit, or recursion, in handler context. */
    HANDLER_LOOP("handler-loop", Severity.WARNING),
    /** A large or repeated allocation in handler context. */
    HANDLER_ALLOC("handler-alloc", Severity.WARNING),
    /** A handler calls into a function the module itself probes: that hit is missed. */
    HANDLER_REENTERS("handler-reenters", Severity.WARNING),
    /** A handler the checker cannot follow (so the handler rules did not look into it). */
    HANDLER_UNRESOLVED("handler-unresolved", Severity.NOTE);

    /** The id printed and suppressed. */
    public final String id;
    /** The severity of its findings. */
    public final Severity severity;

    Rule(String id, Severity severity) {
        this.id = id;
        this.severity = severity;
    }

    /**
     * @param id a rule id
     * @return the rule, or {@code null} if there is none of that id
     */
    public static Rule byId(String id) {
        for (Rule r : values()) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        return null;
    }
}
