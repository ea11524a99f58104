package dev.ksim.sdk;

import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code spinlock_t}: a lock that busy-waits and keeps preemption (and with the {@code _irqsave} forms,
 * interrupts) off while held, so the holder is in atomic context and must not sleep. Use it through
 * {@link Kernel#spin_lock}, {@link Kernel#spin_unlock}, {@link Kernel#spin_lock_irqsave} and
 * {@link Kernel#spin_unlock_irqrestore}; {@code DEFINE_SPINLOCK(lock)} is {@code new Spinlock()}.
 *
 * <p>Taking a lock the same thread already holds would spin for ever on a real kernel (and
 * {@code CONFIG_DEBUG_SPINLOCK} reports it); here it throws, which the kernel reports as an oops.
 */
public final class Spinlock {
    /** The holding thread, or null when unlocked; set and cleared only by compare-and-set/holder. */
    private final AtomicReference<Thread> owner = new AtomicReference<>();

    /** An unlocked lock ({@code spin_lock_init}). */
    public Spinlock() {
    }

    void acquire() {
        Thread me = Thread.currentThread();
        if (owner.get() == me) {
            throw new IllegalStateException("BUG: spinlock recursion on CPU#" + Kernel.smp_processor_id()
                    + ", lock held by this task");
        }
        while (!owner.compareAndSet(null, me)) {
            Thread.onSpinWait();
        }
    }

    boolean tryAcquire() {
        return owner.compareAndSet(null, Thread.currentThread());
    }

    void release() {
        if (!owner.compareAndSet(Thread.currentThread(), null)) {
            throw new IllegalStateException("BUG: spinlock wrong owner on CPU#" + Kernel.smp_processor_id());
        }
    }

    /** @return {@code spin_is_locked()} */
    public boolean isLocked() {
        return owner.get() != null;
    }
}
