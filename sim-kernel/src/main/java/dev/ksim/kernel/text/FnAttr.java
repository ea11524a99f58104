package dev.ksim.kernel.text;

/** Properties of a simulated function that decide where it lives and whether it may be probed. */
public enum FnAttr {
    /** {@code NOKPROBE_SYMBOL(fn)}: on the kprobe blacklist. */
    NOKPROBE,
    /** {@code __kprobes}: placed in {@code .kprobes.text}, the kprobes subsystem's own code. */
    KPROBES_TEXT,
    /** {@code noinstr}: placed in {@code .noinstr.text}; never instrumented. */
    NOINSTR,
    /** Low-level entry code in {@code .entry.text}. */
    ENTRY_TEXT,
    /** Contains a {@code BUG()}/{@code WARN()} trap instruction. */
    BUG_SITE,
    /** Contains a static-key (jump label) site. */
    JUMP_LABEL,
    /** Contains bytes patched by alternatives. */
    ALTERNATIVE,
    /** Contains an instruction the x86 kprobe decoder refuses (an int3). */
    UNSUPPORTED_INSN,
    /** Contains an instruction the arm64 decoder rejects (an exclusive load). */
    EXCLUSIVE_INSN,
    /** Contains an instruction listed in the exception table (a user access). */
    EXTABLE,
    /** Saves and restores the interrupt flag ({@code pushf; cli} … {@code popf}). */
    IRQ_SAVE,
    /** A function that does not return (such as {@code do_exit}). */
    NORETURN,
    /** Placed in a module's {@code .init.text}, freed once init finished. */
    INIT_TEXT,
    /** A global symbol ({@code T} in kallsyms); otherwise local ({@code t}). */
    GLOBAL
}
