package dev.ksim.kernel.kprobes;

import dev.ksim.sdk.KretprobeInstance;

/**
 * One tracked call of a kretprobed function: the SDK's {@link KretprobeInstance} the handlers see, plus
 * what the kernel keeps beside it: the holder (detached on unregister), the task's stack frame it
 * belongs to, and its link on the task's instance list. Padded so instances allocated side by side do not
 * share a cache line.
 */
final class RetInstance {
    final Kretprobes.Holder holder;
    final KretprobeInstance ri;
    /** Its slot in the pool: where it is while free. */
    final int slot;
    /** The frame ({@code ri->fp}): identifies the call on the task's stack. */
    long frameId;
    /** Next (older) instance on the owning task's list. */
    RetInstance next;
    @SuppressWarnings("unused")
    private long p1;
    @SuppressWarnings("unused")
    private long p2;
    @SuppressWarnings("unused")
    private long p3;
    @SuppressWarnings("unused")
    private long p4;
    @SuppressWarnings("unused")
    private long p5;
    @SuppressWarnings("unused")
    private long p6;

    RetInstance(Kretprobes.Holder holder, int dataSize, int slot) {
        this.holder = holder;
        this.slot = slot;
        this.ri = new KretprobeInstance(dataSize);
    }
}
