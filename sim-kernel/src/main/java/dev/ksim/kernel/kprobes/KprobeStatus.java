package dev.ksim.kernel.kprobes;

/** {@code kcb->kprobe_status} values, as {@code <linux/kprobes.h>} numbers them. */
public final class KprobeStatus {
    /** Handlers are running. */
    public static final int KPROBE_HIT_ACTIVE = 0x1;
    /** The probed instruction is being single-stepped. */
    public static final int KPROBE_HIT_SS = 0x2;
    /** A probe hit inside a handler is being single-stepped (its handlers are skipped). */
    public static final int KPROBE_REENTER = 0x4;
    /** The step finished; the post_handler runs. */
    public static final int KPROBE_HIT_SSDONE = 0x8;

    private KprobeStatus() {
    }
}
