package dev.ksim.sdk;

/**
 * {@code struct semaphore}: a counting sleeping lock ({@code sema_init(&sem, n)} is
 * {@code new Semaphore(n)}). {@link Kernel#down} may sleep, so it is reported in atomic context;
 * {@link Kernel#down_trylock} and {@link Kernel#up} never sleep and are fine anywhere.
 */
public final class Semaphore {
    private final java.util.concurrent.Semaphore count;

    /**
     * {@code sema_init}.
     *
     * @param val the initial count (1 makes a mutex-like binary semaphore)
     * @throws IllegalArgumentException if {@code val} is negative
     */
    public Semaphore(int val) {
        if (val < 0) {
            throw new IllegalArgumentException("sema_init: negative count " + val);
        }
        this.count = new java.util.concurrent.Semaphore(val);
    }

    void down() {
        count.acquireUninterruptibly();
    }

    boolean tryDown() {
        return count.tryAcquire();
    }

    void up() {
        count.release();
    }

    /** @return the current count */
    public int count() {
        return count.availablePermits();
    }
}
