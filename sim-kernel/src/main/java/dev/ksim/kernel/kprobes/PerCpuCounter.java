package dev.ksim.kernel.kprobes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A statistics counter kept per CPU, as the kernel keeps {@code nhit} of a trace probe
 * ({@code this_cpu_inc}): each CPU adds to its own slot with a plain load and store, no atomic
 * instruction and no shared cache line; a reader sums the slots, and may miss increments in flight.
 */
final class PerCpuCounter {
    /** Slots one cache line apart (8 longs of 64 bytes), so CPUs never write the same line. */
    private static final int STRIDE = 8;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    /**
     * Slot {@code (cpu + 1) * STRIDE} is written only by the thread running that CPU (a CPU runs one
     * thread at a time, and hands over with a happens-before edge) with plain loads and stores, which
     * leave the compiler free to schedule the hit path around them (opaque ones are compiler barriers);
     * readers on other threads read opaquely and see each slot's count, possibly a few increments late
     * (64-bit slots are not torn on the 64-bit JVMs ksim runs on). One unused stride before the first slot and
     * after the last keeps them off the line holding the array's length (which every CPU's bounds check
     * reads) and off whatever object the heap places next.
     */
    private final long[] slots;

    /** @param nrCpus the number of CPUs */
    PerCpuCounter(int nrCpus) {
        slots = new long[(Math.max(1, nrCpus) + 2) * STRIDE];
    }

    /**
     * Counts one on a CPU's slot of a counter's array ({@link #slots()}), for a hit path that keeps the
     * array rather than the counter.
     *
     * @param slots the counter's slots
     * @param cpu the CPU counting, which the calling thread runs
     */
    static void inc(long[] slots, int cpu) {
        int i = (cpu + 1) * STRIDE;
        slots[i]++;
    }

    /** @return the slots {@link #inc(long[], int)} counts in */
    long[] slots() {
        return slots;
    }

    /** @param cpu the CPU counting, which the calling thread runs */
    void inc(int cpu) {
        inc(slots, cpu);
    }

    /** @return the sum over every CPU */
    long sum() {
        long n = 0;
        for (int i = STRIDE; i < slots.length - STRIDE; i += STRIDE) {
            n += (long) SLOT.getOpaque(slots, i);
        }
        return n;
    }
}
