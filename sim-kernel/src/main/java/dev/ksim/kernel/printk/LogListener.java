package dev.ksim.kernel.printk;

/**
 * Receives every record of a {@link LogBuffer} once it is finalized, in sequence order, like a
 * kernel console (the SLF4J mirror is one). Delivery happens on a printing thread after the record
 * is stored, by whichever thread holds the buffer's console lock, one record at a time; a listener
 * is never called concurrently with itself or another listener of the same buffer.
 *
 * <p>A listener must not block for long (it delays the thread that happened to print) and should not
 * call printk: such messages are stored, but are delivered by a later pass, not recursively.
 */
@FunctionalInterface
public interface LogListener {

    /**
     * A record was finalized.
     *
     * @param record the record
     */
    void onRecord(LogRecord record);

    /**
     * Records were overwritten in the ring before this listener was given them, like the kernel
     * console's {@code ** N printk messages dropped **}. Called before the next delivered record.
     *
     * @param count how many records were lost
     */
    default void onDropped(long count) {
    }
}
