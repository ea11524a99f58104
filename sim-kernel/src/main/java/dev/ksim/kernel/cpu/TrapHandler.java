package dev.ksim.kernel.cpu;

import dev.ksim.kernel.text.KFunction;

/** What a CPU calls when it executes a breakpoint or returns into a trampoline. */
public interface TrapHandler {
    /** Continue with the next instruction. */
    int CONTINUE = 0;
    /** Continue at instruction {@link Cpu#resumeIndex()} of the same function (a handler moved ip). */
    int SKIP_TO = 1;
    /** Return from the function now, with the return register as it is (ip moved to a {@code ret}). */
    int RETURN = 2;
    /** Continue at the entry of {@link Cpu#resumeFunction()} in place of this function (ip moved there). */
    int TAILCALL = 3;

    /**
     * Handles a breakpoint hit.
     *
     * @param cpu the CPU
     * @param f the function executing
     * @param insn the index of the instruction carrying the breakpoint
     * @param depth the frame's index on the task's kernel stack
     * @param addr the instruction's address
     * @return one of the outcome constants
     */
    int breakpoint(Cpu cpu, KFunction f, int insn, int depth, long addr);

    /**
     * A function returned into a return trampoline (its return slot was hijacked).
     *
     * @param cpu the CPU
     * @param depth the returning frame's index
     * @return the real return address to continue at
     */
    long trampoline(Cpu cpu, int depth);

    /** @return the trampoline's address: a return slot holding it is hijacked */
    long trampolineAddress();

    /**
     * {@code kretprobe_find_ret_addr}: the real return address of a hijacked frame.
     *
     * @param task the task
     * @param frameId the frame's id
     * @return the address, or 0 if the frame is not hijacked
     */
    long realReturnAddress(Task task, long frameId);
}
