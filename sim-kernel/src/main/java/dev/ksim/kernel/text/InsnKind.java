package dev.ksim.kernel.text;

/**
 * What the kprobe engine must know of an instruction to single-step it: whether it is copied into an
 * instruction slot and executed there, emulated, or refused.
 */
public enum InsnKind {
    /** An ordinary instruction: copied to a slot and stepped; execution continues after it. */
    PLAIN,
    /** A near call: emulated (return address pushed, ip = target). */
    CALL,
    /** A return: emulated (ip = the return address). */
    RET,
    /** An unconditional jump: emulated. */
    JMP,
    /** A conditional jump: emulated; the simulated code falls through. */
    JCC,
    /** {@code cli}/{@code sti}/{@code popf}: modifies IF; emulated. */
    IF_MODIFIER,
    /** {@code ud2} at a {@code BUG()}/{@code WARN()} site: refused (-EINVAL). */
    BUG,
    /** An instruction the x86 kprobe decoder refuses: int3, iret, far call/jmp (-EOPNOTSUPP). */
    UNSUPPORTED,
    /** An arm64 instruction the decoder rejects: exclusive load/store and friends (-EINVAL). */
    REJECTED,
    /** A no-op. */
    NOP
}
