package dev.ksim.sdk;

import dev.ksim.sdk.linux.TaskStruct;
import java.nio.ByteBuffer;

/**
 * {@code struct kretprobe_instance}: one tracked call of a kretprobed function, from entry to return.
 * Instances are preallocated and reused; never keep one after the return handler returns.
 */
public final class KretprobeInstance {
    /** The kretprobe this instance belongs to; {@code null} once it was unregistered. */
    public volatile Kretprobe rp;
    /** The real return address of the tracked call (not the trampoline). */
    public long ret_addr;
    /** The task that made the call. */
    public TaskStruct task;
    /**
     * {@code data_size} bytes of private data, little-endian, shared between the entry and the return
     * handler of one call (for example a {@code ktime_t} entry stamp: {@code ri.data.putLong(0, ktime_get())}).
     */
    public final ByteBuffer data;

    /**
     * Creates an instance; the kernel does this when a kretprobe is registered.
     *
     * @param data_size bytes of private data
     */
    public KretprobeInstance(int data_size) {
        this.data = ByteBuffer.allocate(data_size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }
}
