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

    /**
     * Where frame d's frame record is once its prologue ran ({@code push %rbp} / {@code stp x29, x30,
     * [sp, #-16]!}): the caller's frame pointer, with the return address in the word above it. It is also
     * the frame pointer the function sets up ({@code mov %rsp,%rbp} / {@code mov x29, sp}).
     *
     * @param d frame index
     * @return the record's address
     */
    public long frameRecord(int d) {
        return spAt(d, 1);
    }

    /**
     * Fills in the words of this stack that the simulation keeps in its frames rather than in memory:
     * each frame's return address (x86_64: in its slot from the call on; arm64: once the prologue stored
     * x30) and, once its prologue ran, the caller's frame pointer in its frame record. Other stack words
     * read as memory holds them. Only the thread running the task may call this.
     *
     * @param dst bytes read from {@code [src, src + size)}, changed where they overlap such a word
     * @param src the address read
     * @param size the number of bytes
     * @param x86 whether the return address is pushed by the call (x86_64) rather than kept in x30 (arm64)
     */
    public void overlayFrameWords(byte[] dst, long src, int size, boolean x86) {
        if (src + size <= base || src >= base + THREAD_SIZE) {
            return;
        }
        int n = Math.min(depth, MAX_DEPTH);
        for (int d = 0; d < n; d++) {
            if (x86) {
                putWord(dst, src, size, spEntry[d], ret[d]);
            }
            if (pc[d] >= 1) {
                long rec = frameRecord(d);
                putWord(dst, src, size, rec, d == 0 ? 0 : frameRecord(d - 1));
                if (!x86) {
                    putWord(dst, src, size, rec + 8, ret[d]);
                }
            }
        }
    }

    /** Writes the little-endian bytes of the word at addr that fall inside {@code [src, src + size)}. */
    private static void putWord(byte[] dst, long src, int size, long addr, long value) {
        for (int b = 0; b < 8; b++) {
            long off = addr + b - src;
            if (off >= 0 && off < size) {
                dst[(int) off] = (byte) (value >>> (8 * b));
            }
        }
    }
}
