package dev.ksim.kernel.cpu;

import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * RCU grace periods over simulated CPUs. A CPU is in a read-side critical section whenever it runs
 * kernel code (breakpoint handling always does); it passes a quiescent state when it leaves kernel mode,
 * switches task, or blocks on a sleeping lock. {@link #synchronize} returns once every other CPU has
 * passed one, so nothing it may still have read before the call is in use any more.
 *
 * <p>Readers pay nothing on the breakpoint path: the volatile kernel-entry write orders their later
 * reads of the probe table after any removal that preceded the grace period's start.
 */
public final class Rcu {
    private final List<Cpu> cpus;

    /** @param cpus every CPU of the kernel */
    public Rcu(List<Cpu> cpus) {
        this.cpus = List.copyOf(cpus);
    }

    /** {@code synchronize_rcu}: waits for a full grace period. */
    public void synchronize() {
        Cpu self = Cpu.current();
        long[] snap = new long[cpus.size()];
        for (int i = 0; i < snap.length; i++) {
            snap[i] = cpus.get(i).rcuSeq();
        }
        for (int i = 0; i < snap.length; i++) {
            Cpu c = cpus.get(i);
            if (c == self || (snap[i] & 1) == 0) {
                continue;
            }
            int spins = 0;
            while (c.rcuSeq() == snap[i]) {
                if (++spins < 200) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(20_000);
                }
            }
        }
    }

    /**
     * Takes a sleeping lock ({@code mutex_lock}); while the caller waits its CPU counts as quiescent, as
     * a task that blocks is switched out.
     *
     * @param lock the lock
     */
    public static void lockSleeping(ReentrantLock lock) {
        if (lock.tryLock()) {
            return;
        }
        Cpu cpu = Cpu.current();
        if (cpu == null) {
            lock.lock();
            return;
        }
        cpu.blocking(lock::lock);
    }
}
