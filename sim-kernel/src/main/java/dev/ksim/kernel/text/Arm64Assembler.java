package dev.ksim.kernel.text;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * arm64 code in gcc's shape for kernel functions: {@code stp x29, x30, [sp, #-N]!; mov x29, sp}, a
 * {@code bl} per callee, and {@code ldp x29, x30, [sp], #N; ret}. Every instruction is 4 bytes,
 * little-endian; functions are 8-byte aligned and padded with zero words.
 */
final class Arm64Assembler implements Assembler {
    private static final int RET = 0xd65f03c0;

    private final class Emitter {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<Insn> insns = new ArrayList<>();

        void emit(InsnKind kind, String mnemonic, int spDelta, String callee, int word) {
            insns.add(new Insn(out.size(), 4, kind, mnemonic, spDelta, callee));
            for (int i = 0; i < 4; i++) {
                out.write(word >>> (8 * i));
            }
        }

        void plain(String mnemonic, int word) {
            emit(InsnKind.PLAIN, mnemonic, 0, null, word);
        }
    }

    @Override
    public Code assemble(FunctionDef def) {
        Emitter e = new Emitter();
        boolean leaf = def.callees().isEmpty();
        int frame = leaf ? 16 : 32 + ((def.frameSize() + 15) & ~15);
        int imm7 = (-frame / 8) & 0x7f;
        e.emit(InsnKind.PLAIN, String.format("stp    x29, x30, [sp, #-%d]!", frame), -frame, null,
                0xa9807bfd | (imm7 << 15));
        e.plain("mov    x29, sp", 0x910003fd);
        if (!leaf) {
            e.plain("stp    x19, x20, [sp, #16]", 0xa90153f3);
            if (def.nargs() >= 1) {
                e.plain("mov    x19, x0", 0xaa0003f3);
            }
        }
        if (def.has(FnAttr.IRQ_SAVE)) {
            e.plain("mrs    x20, daif", 0xd53b4234);
            e.emit(InsnKind.IF_MODIFIER, "msr    daifset, #0x3", 0, null, 0xd50343df);
        }
        if (leaf) {
            e.plain(def.nargs() >= 1 ? "cmp    x0, #0x0" : "mov    x0, #0x0", def.nargs() >= 1 ? 0xf100001f : 0xd2800000);
        }
        int bodyStart = e.insns.size();
        if (def.has(FnAttr.EXCLUSIVE_INSN)) {
            e.emit(InsnKind.REJECTED, "ldaxr  w1, [x0]", 0, null, 0x885ffc01);
        }
        if (def.has(FnAttr.EXTABLE)) {
            e.plain("ldtrb  w3, [x1]", 0x38400823);
        }
        if (def.has(FnAttr.BUG_SITE)) {
            e.emit(InsnKind.JCC, "cbz    w0, .+0x8", 0, null, 0x34000040);
            e.emit(InsnKind.BUG, "brk    #0x800", 0, null, 0xd4210000);
        }
        if (def.has(FnAttr.JUMP_LABEL)) {
            e.emit(InsnKind.NOP, "nop", 0, null, 0xd503201f);
        }
        for (String callee : def.callees()) {
            if (def.nargs() >= 1) {
                e.plain("mov    x0, x19", 0xaa1303e0);
            }
            e.emit(InsnKind.CALL, "bl     " + callee, 0, callee, 0x94000000);
            e.plain("mov    x20, x0", 0xaa0003f4);
        }
        if (def.has(FnAttr.NORETURN)) {
            e.emit(InsnKind.BUG, "brk    #0x800", 0, null, 0xd4210000);
            return new Code(e.out.toByteArray(), e.insns, bodyStart);
        }
        if (def.has(FnAttr.IRQ_SAVE)) {
            e.emit(InsnKind.IF_MODIFIER, "msr    daif, x20", 0, null, 0xd51b4234);
        }
        if (!leaf) {
            e.plain("mov    x0, x20", 0xaa1403e0);
            e.plain("ldp    x19, x20, [sp, #16]", 0xa94153f3);
        }
        e.emit(InsnKind.PLAIN, String.format("ldp    x29, x30, [sp], #%d", frame), frame, null,
                0xa8c07bfd | ((frame / 8) << 15));
        e.emit(InsnKind.RET, "ret", 0, null, RET);
        return new Code(e.out.toByteArray(), e.insns, bodyStart);
    }

    @Override
    public void patchCall(byte[] bytes, int at, long insnAddr, long target) {
        long rel = (target - insnAddr) >> 2;
        if (rel < -(1 << 25) || rel >= (1 << 25)) {
            throw new IllegalStateException("bl target out of range: " + Long.toHexString(target));
        }
        int word = 0x94000000 | (int) (rel & 0x3ffffff);
        for (int i = 0; i < 4; i++) {
            bytes[at + i] = (byte) (word >>> (8 * i));
        }
    }

    @Override
    public byte padding() {
        return 0;
    }

    @Override
    public int functionAlignment() {
        return 8;
    }

    @Override
    public int prefixSize() {
        return 0;
    }
}
