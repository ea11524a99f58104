package dev.ksim.kernel.text;

import dev.ksim.kernel.Arch;

/** Encodes simulated functions as real machine code of one architecture. */
public interface Assembler {

    /** @param def the function @return its code, call displacements not yet filled in */
    Code assemble(FunctionDef def);

    /**
     * Writes a call instruction's target.
     *
     * @param bytes the text holding the instruction
     * @param at index of the instruction's first byte in {@code bytes}
     * @param insnAddr the instruction's address
     * @param target the callee's address
     */
    void patchCall(byte[] bytes, int at, long insnAddr, long target);

    /** @return the byte used to pad between functions */
    byte padding();

    /** @return the alignment of function starts */
    int functionAlignment();

    /** @return the size of the {@code __pfx_} padding symbol before each function, 0 if none */
    int prefixSize();

    /**
     * @param arch the architecture
     * @return its assembler
     */
    static Assembler of(Arch arch) {
        return arch == Arch.X86_64 ? new X86Assembler() : new Arm64Assembler();
    }
}
