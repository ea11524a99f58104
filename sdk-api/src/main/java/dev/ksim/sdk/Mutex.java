package dev.ksim.sdk;

import java.util.concurrent.Semaphore;

/**
 * {@code struct mutex}: a sleeping lock. {@link Kernel#mutex_lock} may sleep, so calling it in a probe
 * handler or under a spinlock is reported as the kernel reports it
 * ({@code BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580}).
 * {@code DEFINE_MUTEX(m)} is {@code new Mutex()}.
 *
 * <p>Locking a mutex the task already holds deadlocks a real kernel (lockdep reports it); here it throws,
 * which the kernel reports as an oops.
 */
public final class Mutex {
    private final Semaphore permit = new Semaphore(1);
    /** The holding thread; written only by the holder, after acquiring and before releasing. */
    private volatile Thread owner;

    /** An unlocked mutex ({@code mutex_init}). */
    public Mutex() {
    }

    void acquire() {
        if (owner == Thread.currentThread()) {
            throw new IllegalStateException("BUG: recursive locking of a mutex this task holds");
        }
        permit.acquireUninterruptibly();
        owner = Thread.currentThread();
    }

    boolean tryAcquire() {
        if (permit.tryAcquire()) {
            owner = Thread.currentThread();
            return true;
        }
        return false;
    }

    void release() {
        if (owner != Thread.currentThread()) {
            throw new IllegalStateException("BUG: mutex_unlock of a mutex this task does not hold");
        }
        owner = null;
        permit.release();
    }

    /** @return {@code mutex_is_locked()} */
    public boolean isLocked() {
        return permit.availablePermits() == 0;
    }
}
