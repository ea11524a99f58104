package dev.ksim.kernel.diag;

import dev.ksim.kernel.cpu.Cpu;
import java.util.List;

/**
 * The soft-lockup detector ({@code kernel/watchdog.c}): a CPU that stays in the kernel without
 * scheduling for more than {@code 2 * watchdog_thresh} seconds of real time is marked stuck; the next
 * time its code reaches a loop back-edge (where the kernel's timer interrupt would land) it unwinds with
 * the {@code watchdog: BUG: soft lockup} report. A daemon thread
 * per kernel samples its CPUs until the kernel is closed.
 */
public final class SoftLockupWatchdog {
    /** How often the CPUs are sampled. */
    private static final long PERIOD_MILLIS = 200;

    /** {@code /proc/sys/kernel/watchdog_thresh} in seconds; 0 disables the detector. */
    private volatile int thresh = 10;

    private final List<Cpu> cpus;
    /** Per CPU, the {@link Cpu#rcuSeq()} last seen and since when (nanoTime); only the sampling thread. */
    private final long[] seenSeq;
    private final long[] seenSince;

    /** @param cpus the kernel's CPUs */
    public SoftLockupWatchdog(List<Cpu> cpus) {
        this.cpus = cpus;
        this.seenSeq = new long[cpus.size()];
        this.seenSince = new long[cpus.size()];
    }

    /** @return {@code watchdog_thresh} */
    public int thresh() {
        return thresh;
    }

    /**
     * @param seconds {@code watchdog_thresh}: 0 to 60, as the sysctl allows
     * @return false if out of range
     */
    public boolean setThresh(int seconds) {
        if (seconds < 0 || seconds > 60) {
            return false;
        }
        thresh = seconds;
        return true;
    }

    /** One sample of every CPU: marks those that ran kernel code, unscheduled, for too long. */
    void sample(long now) {
        long limit = 2L * thresh * 1_000_000_000L;
        for (int i = 0; i < cpus.size(); i++) {
            Cpu c = cpus.get(i);
            long seq = c.rcuSeq();
            if ((seq & 1) == 0 || seq != seenSeq[i]) {
                seenSeq[i] = seq;
                seenSince[i] = now;
            } else if (limit > 0 && now - seenSince[i] > limit) {
                c.reportSoftLockup((int) ((now - seenSince[i]) / 1_000_000_000L));
                seenSince[i] = now;
            }
        }
    }

    /**
     * Starts sampling a kernel's CPUs until {@code alive} says it is gone.
     *
     * @param alive whether the kernel still runs
     */
    public void start(java.util.function.BooleanSupplier alive) {
        Thread t = new Thread(() -> {
            while (alive.getAsBoolean()) {
                sample(System.nanoTime());
                try {
                    Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "ksim-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
