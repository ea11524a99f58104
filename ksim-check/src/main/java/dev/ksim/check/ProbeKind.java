package dev.ksim.check;

/** The probe structs of the SDK, as the checker tells them apart by declared type. */
enum ProbeKind {
    /** {@code struct kprobe}. */
    KPROBE("kprobe"),
    /** {@code struct kretprobe}. */
    KRETPROBE("kretprobe"),
    /** {@code struct jprobe}. */
    JPROBE("jprobe");

    /** The kernel's name. */
    final String cName;

    ProbeKind(String cName) {
        this.cName = cName;
    }

    /**
     * @param simpleType a declared type's simple name, with or without {@code []}
     * @return the kind, or {@code null} for any other type
     */
    static ProbeKind ofType(String simpleType) {
        String t = simpleType.replace("[]", "");
        t = t.substring(t.lastIndexOf('.') + 1);
        return switch (t) {
            case "Kprobe" -> KPROBE;
            case "Kretprobe" -> KRETPROBE;
            case "Jprobe" -> JPROBE;
            default -> null;
        };
    }

    /**
     * @param call a method's name such as {@code register_kretprobes}
     * @return the kind it registers or unregisters, or {@code null}
     */
    static ProbeKind ofRegistration(String call) {
        String n = call.replaceFirst("^(un)?register_", "");
        return switch (n) {
            case "kprobe", "kprobes" -> KPROBE;
            case "kretprobe", "kretprobes" -> KRETPROBE;
            case "jprobe", "jprobes" -> JPROBE;
            default -> null;
        };
    }
}
