package dev.ksim.kernel.text;

import java.util.List;

/**
 * A function's assembled machine code, before its call targets are known.
 *
 * @param bytes the encoded instructions; call displacements are zero until {@link Assembler#patchCall}
 * @param insns the instructions, in address order
 * @param bodyStart index of the first instruction after the prologue: where the body begins
 */
public record Code(byte[] bytes, List<Insn> insns, int bodyStart) {
    public Code {
        insns = List.copyOf(insns);
    }
}
