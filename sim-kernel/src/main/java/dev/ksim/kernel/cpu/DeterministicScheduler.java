package dev.ksim.kernel.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deterministic mode: the simulated CPUs' threads take turns, and a seeded random choice at every kernel
 * function boundary decides whether and to which CPU execution switches. Only the thread holding the
 * turn runs (kernel and user code alike), so the same seed and the same workload give the same
 * interleaving — the same misses, the same log — run after run. Time is virtual: each boundary advances
 * the clock by a fixed quantum, and every {@link #TICK_NANOS} a timer interrupt fires on the running CPU.
 *
 * <p>All state is guarded by {@code this}; waiting threads park on it.
 */
public final class DeterministicScheduler {
    /** Virtual nanoseconds per kernel function boundary. */
    public static final long QUANTUM_NANOS = 100;
    /** Virtual nanoseconds between timer interrupts: 4 ms, HZ = 250. */
    public static final long TICK_NANOS = 4_000_000;
    /** One switch in this many boundaries, on average. */
    private static final int SWITCH_ODDS = 4;

    private final SplittableRandom random;
    private final AtomicLong clock = new AtomicLong();
    /** CPUs whose jobs have not finished, and are not blocked. */
    private final TreeSet<Integer> runnable = new TreeSet<>();
    private int running = -1;
    private int expected;
    private int arrived;
    private long nextTick = TICK_NANOS;
    /** Jobs of the current round; the scheduler runs one round at a time. */
    private boolean active;

    /** @param seed the seed: the same seed gives the same interleaving */
    public DeterministicScheduler(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** @return nanoseconds of virtual time since boot */
    public long nanos() {
        return clock.get();
    }

    /**
     * Advances virtual time without running anyone else (a sleep in deterministic mode).
     *
     * @param nanos how long
     */
    public void advance(long nanos) {
        clock.addAndGet(nanos);
    }

    /**
     * Starts a round: the jobs of these CPUs will call {@link #begin}.
     *
     * @param cpus the CPUs that have a job
     */
    public synchronized void expect(List<Integer> cpus) {
        if (active) {
            throw new IllegalStateException("a deterministic round is already running");
        }
        active = true;
        expected = cpus.size();
        arrived = 0;
        running = -1;
        runnable.clear();
        runnable.addAll(cpus);
    }

    /** @return whether a round is running */
    public synchronized boolean active() {
        return active;
    }

    /**
     * A job's thread arrives; it waits until every job has arrived and then until it gets the turn.
     *
     * @param cpu the job's CPU
     */
    public synchronized void begin(int cpu) {
        arrived++;
        if (arrived == expected) {
            running = pick(new ArrayList<>(runnable));
            notifyAll();
        }
        awaitTurn(cpu);
    }

    /**
     * A job finished: its CPU leaves the round and the turn passes on.
     *
     * @param cpu the job's CPU
     */
    public synchronized void end(int cpu) {
        runnable.remove(cpu);
        if (runnable.isEmpty()) {
            active = false;
            running = -1;
        } else if (running == cpu) {
            running = pick(new ArrayList<>(runnable));
        }
        notifyAll();
    }

    /**
     * A kernel function boundary on the running CPU: time advances, and the seeded choice may hand the
     * turn to another CPU; the caller then waits in {@link #awaitTurn} (as a preempted task, quiescent).
     *
     * @param cpu the CPU calling
     * @return true if the turn passed to another CPU
     */
    public synchronized boolean shouldSwitch(int cpu) {
        if (active && running != cpu) {
            return false;
        }
        long now = clock.addAndGet(QUANTUM_NANOS);
        if (now >= nextTick) {
            nextTick += TICK_NANOS;
            tickPending = true;
        }
        if (active && runnable.size() > 1 && random.nextInt(SWITCH_ODDS) == 0) {
            List<Integer> others = new ArrayList<>(runnable);
            others.remove(Integer.valueOf(cpu));
            running = others.get(random.nextInt(others.size()));
            notifyAll();
            return true;
        }
        return false;
    }

    /** A timer interrupt is due: set by {@link #shouldSwitch}, taken by the CPU that runs. */
    private boolean tickPending;

    /** @return whether a timer interrupt is due (and consumes it) */
    public synchronized boolean takeTick() {
        boolean t = tickPending;
        tickPending = false;
        return t;
    }

    private int pick(List<Integer> candidates) {
        return candidates.get(random.nextInt(candidates.size()));
    }

    /** Waits until this CPU has the turn (or the round ended). @param cpu the CPU */
    public synchronized void awaitTurn(int cpu) {
        boolean interrupted = false;
        while (running != cpu && active) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
