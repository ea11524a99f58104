package dev.ksim.kernel.cpu;

import dev.ksim.kernel.text.KFunction;

/**
 * A task's kernel stack: for each active call, the function, how far execution got in it (its next
 * instruction), the return address in its stack slot and the stack pointer at entry. The return slot is
 * what a kretprobe overwrites with its trampoline, and what stack traces read.
 *
 * <p>Used only by the thread running the task (on some CPU) and by stack dumps of that thread.
 */
public final class KernelStack {
    /** {@code THREAD_SIZE}: 16 KiB on x86_64 and arm64. */
    public static final int THREAD_SIZE = 16 * 1024;
    /** Frames the simulated stack holds before it overflows. */
    public static final int MAX_DEPTH = 192;

    /** Lowest address of the stack area; the stack grows down from {@code base + THREAD_SIZE}. */
    public final long base;
    final KFunction[] fn = new KFunction[MAX_DEPTH];
    /** Index of the next instruction each frame will execute. */
    final int[] pc = new int[MAX_DEPTH];
    /** Index of the next call instruction each frame expects to make. */
    final int[] nextCall = new int[MAX_DEPTH];
    /** The return-address slot of each frame. */
    final long[] ret = new long[MAX_DEPTH];
    /** Stack pointer at each frame's entry (pointing at its return-address slot). */
    final long[] spEntry = new long[MAX_DEPTH];
    /** A number identifying each frame's call ({@code ri->fp}): unique per push on this stack. */
    final long[] frameId = new long[MAX_DEPTH];
    /** The id the next pushed frame gets. */
    long nextFrameId = 1;
    /**
     * Whether a woven frame is a probe handler's first module frame: it pops the trap's context frames when it
     * returns. False for every other frame (reset when the frame goes).
     */
    final boolean[] restoresRegs = new boolean[MAX_DEPTH];
    /**
     * Whether a woven frame runs in a probe handler (the handler's own or one it called): it neither loads
     * arguments into nor returns through the registers, which are the handler's pt_regs. False for every
     * other frame (reset when the frame goes).
     */
    final boolean[] inHandler = new boolean[MAX_DEPTH];
    /** How many context levels a woven frame called from a handler pushed, to pop when it returns. */
    final int[] contextsPushed = new int[MAX_DEPTH];
    /** Number of active frames. */
    int depth;

    /** @param base lowest address of the stack area */
    public KernelStack(long base) {
        this.base = base;
    }

    /** @return the address just above the stack: where the first frame's return address goes */
    public long top() {
        return base + THREAD_SIZE - 8;
    }

    /** @return the number of active frames */
    public int depth() {
        return depth;
    }

    /** @param d frame index, 0 = outermost @return its function */
    public KFunction function(int d) {
        return fn[d];
    }

    /** @param d frame index @return the index of the next instruction it will execute */
    public int pc(int d) {
        return pc[d];
    }

    /** @param d frame index @return the id of its call */
    public long frameId(int d) {
        return frameId[d];
    }

    /** @param d frame index @return the value in its return-address slot */
    public long returnAddress(int d) {
        return ret[d];
    }

    /**
     * Overwrites a frame's return-address slot (what a kretprobe does with its trampoline).
     *
     * @param d frame index
     * @param addr the new return address
     */
    public void setReturnAddress(int d, long addr) {
        ret[d] = addr;
    }

    /** @param d frame index @return the stack pointer at its entry */
    public long spAtEntry(int d) {
        return spEntry[d];
    }

    /**
     * The stack pointer while frame d executes instruction i: its entry sp moved by the instructions
     * before i (pushes, frame allocation).
     *
     * @param d frame index
     * @param i instruction index in that frame's function
     * @return the stack pointer
     */
    public long spAt(int d, int i) {
        return spEntry[d] + fn[d].spDeltaBefore(i);
    }
}
