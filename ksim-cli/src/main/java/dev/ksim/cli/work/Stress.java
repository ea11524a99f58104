package dev.ksim.cli.work;

import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.kernel.proc.Process;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A workload of processes calling the kernel: each worker is a process (forked from the parent) that
 * loops over fork+exit, fork+exec, and open/write, open/read and unlink of its own file, one operation
 * at a time, on its own Java thread, until it did its share of operations or the time is up.
 */
public final class Stress {
    private final SimKernel k;
    private final int procs;
    private final long opsEach;
    private final long deadlineNanos;
    private final AtomicLong ops = new AtomicLong();
    private final List<Integer> killed = new ArrayList<>();

    /**
     * @param k the kernel
     * @param procs how many worker processes
     * @param opsEach operations per worker, or 0 for no limit
     * @param seconds how long to run, or 0 for no limit
     */
    public Stress(SimKernel k, int procs, long opsEach, double seconds) {
        this.k = k;
        this.procs = procs;
        this.opsEach = opsEach;
        this.deadlineNanos = seconds > 0 ? System.nanoTime() + (long) (seconds * 1e9) : Long.MAX_VALUE;
    }

    /** @return the operations done so far */
    public long ops() {
        return ops.get();
    }

    /** @return the pids of workers an oops killed */
    public synchronized List<Integer> killed() {
        return List.copyOf(killed);
    }

    /**
     * Runs the workload: forks the workers from {@code parent}, drives each on a thread, reaps them.
     *
     * @param parent the process the workers are forked from
     * @param stop checked between operations; true ends the run early
     * @throws InterruptedException if interrupted while waiting for the workers
     */
    public void run(Process parent, BooleanSupplier stop) throws InterruptedException {
        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < procs; i++) {
            long pid = parent.fork();
            if (pid > 0) {
                workers.add(k.syscalls().byPid((int) pid));
            }
        }
        List<Thread> threads = new ArrayList<>();
        for (Process w : workers) {
            Thread t = new Thread(() -> work(w, stop), "ksim-stress-" + w.pid());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } finally {
            for (Thread t : threads) {
                t.interrupt();
            }
            for (Thread t : threads) {
                t.join();
            }
            for (Process w : workers) {
                parent.wait4(w.pid());
            }
        }
    }

    private void work(Process w, BooleanSupplier stop) {
        String file = "/tmp/stress." + w.pid();
        byte[] data = new byte[64];
        try {
            for (long i = 0; (opsEach == 0 || i < opsEach) && System.nanoTime() < deadlineNanos && !stop.getAsBoolean()
                    && !Thread.currentThread().isInterrupted(); i++) {
                switch ((int) (i % 5)) {
                    case 0 -> child(w, false);
                    case 1 -> child(w, true);
                    case 2 -> {
                        long fd = w.open(file, Process.O_WRONLY | Process.O_CREAT | Process.O_TRUNC, 0644);
                        if (fd >= 0) {
                            w.write((int) fd, data);
                            w.close((int) fd);
                        }
                    }
                    case 3 -> {
                        long fd = w.open(file, Process.O_RDONLY, 0);
                        if (fd >= 0) {
                            w.read((int) fd, 64);
                            w.close((int) fd);
                        }
                    }
                    default -> w.unlink(file);
                }
                ops.incrementAndGet();
            }
            w.exit(0);
        } catch (TaskKilled e) {
            synchronized (this) {
                killed.add(w.pid());
            }
        }
    }

    private void child(Process w, boolean exec) {
        long pid = w.fork();
        if (pid < 0) {
            return;
        }
        Process c = k.syscalls().byPid((int) pid);
        try {
            if (exec) {
                c.execve("/bin/true", List.of("true"), Programs.ENV);
            }
            c.exit(0);
        } catch (TaskKilled e) {
            // The child died of an oops; its parent still reaps it.
        }
        w.wait4((int) pid);
    }
}
