package dev.ksim.loader.weave;

import dev.ksim.sdk.spi.KernelBinding;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.LockSupport;

/**
 * What woven module code calls instead of the JDK's blocking calls (see {@link BlockingCallRewriter}):
 * each first does what {@code might_sleep()} does at the calling source line — in a probe handler, the
 * kernel's {@code BUG: sleeping function called from invalid context at File.java:LINE} — then blocks as
 * asked. Public because module classes call it; not an API for anything else.
 */
public final class BlockingCalls {
    private BlockingCalls() {
    }

    private static void mightSleep(String file, int line) {
        KernelBinding.current().__might_sleep(file, line);
    }

    /**
     * {@link Thread#sleep(long)}.
     *
     * @param millis milliseconds
     * @param file calling source file
     * @param line calling line
     * @throws InterruptedException as {@code Thread.sleep}
     */
    public static void sleep(long millis, String file, int line) throws InterruptedException {
        mightSleep(file, line);
        Thread.sleep(millis);
    }

    /**
     * {@link Thread#sleep(long, int)}.
     *
     * @param millis milliseconds
     * @param nanos extra nanoseconds
     * @param file calling source file
     * @param line calling line
     * @throws InterruptedException as {@code Thread.sleep}
     */
    public static void sleep(long millis, int nanos, String file, int line) throws InterruptedException {
        mightSleep(file, line);
        Thread.sleep(millis, nanos);
    }

    /**
     * {@link TimeUnit#sleep(long)}.
     *
     * @param unit the unit
     * @param timeout how long
     * @param file calling source file
     * @param line calling line
     * @throws InterruptedException as {@code TimeUnit.sleep}
     */
    public static void sleep(TimeUnit unit, long timeout, String file, int line) throws InterruptedException {
        mightSleep(file, line);
        unit.sleep(timeout);
    }

    /**
     * {@link Object#wait()}.
     *
     * @param monitor the object waited on
     * @param file calling source file
     * @param line calling line
     * @throws InterruptedException as {@code Object.wait}
     */
    public static void wait(Object monitor, String file, int line) throws InterruptedException {
        mightSleep(file, line);
        monitor.wait();
    }

    /**
     * {@link Object#wait(long)}.
     *
     * @param monitor the object waited on
     * @param millis the longest wait
     * @param file calling source file
     * @param line calling line
     * @throws InterruptedException as {@code Object.wait}
     */
    public static void wait(Object monitor, long millis, String file, int line) throws InterruptedException {
        mightSleep(file, line);
        monitor.wait(millis);
    }

    /**
     * {@link Object#wait(long, int)}.
     *
     * @param monitor the object waited on
     * @param millis the longest wait
     * @param nanos extra nanoseconds
     * @param file calling source file
     * @param line calling line
     * @throws InterruptedException as {@code Object.wait}
     */
    public static void wait(Object monitor, long millis, int nanos, String file, int line) throws InterruptedException {
        mightSleep(file, line);
        monitor.wait(millis, nanos);
    }

    /**
     * {@link Lock#lock()} — the JDK's mutex.
     *
     * @param lock the lock
     * @param file calling source file
     * @param line calling line
     */
    public static void lock(Lock lock, String file, int line) {
        mightSleep(file, line);
        lock.lock();
    }

    /**
     * {@link Lock#lockInterruptibly()}.
     *
     * @param lock the lock
     * @param file calling source file
     * @param line calling line
     * @throws InterruptedException as {@code lockInterruptibly}
     */
    public static void lockInterruptibly(Lock lock, String file, int line) throws InterruptedException {
        mightSleep(file, line);
        lock.lockInterruptibly();
    }

    /**
     * {@link Condition#await()}.
     *
     * @param cond the condition
     * @param file calling source file
     * @param line calling line
     * @throws InterruptedException as {@code await}
     */
    public static void await(Condition cond, String file, int line) throws InterruptedException {
        mightSleep(file, line);
        cond.await();
    }

    /**
     * {@link Condition#awaitUninterruptibly()}.
     *
     * @param cond the condition
     * @param file calling source file
     * @param line calling line
     */
    public static void awaitUninterruptibly(Condition cond, String file, int line) {
        mightSleep(file, line);
        cond.awaitUninterruptibly();
    }

    /**
     * {@link LockSupport#park()}.
     *
     * @param file calling source file
     * @param line calling line
     */
    public static void park(String file, int line) {
        mightSleep(file, line);
        LockSupport.park();
    }

    /**
     * {@link LockSupport#parkNanos(long)}.
     *
     * @param nanos the longest park
     * @param file calling source file
     * @param line calling line
     */
    public static void parkNanos(long nanos, String file, int line) {
        mightSleep(file, line);
        LockSupport.parkNanos(nanos);
    }
}
