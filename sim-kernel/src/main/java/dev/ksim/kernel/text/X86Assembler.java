package dev.ksim.kernel.text;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * x86_64 code in the shape gcc gives kernel functions built with frame pointers: {@code push %rbp;
 * mov %rsp,%rbp}, callee-saved pushes, a call per callee, and the mirror-image epilogue ending in
 * {@code ret}. Functions are 16-byte aligned with a 16-byte {@code __pfx_} NOP pad before each
 * ({@code CONFIG_CALL_PADDING}); gaps are filled with {@code int3}.
 */
final class X86Assembler implements Assembler {

    private final class Emitter {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<Insn> insns = new ArrayList<>();

        void emit(InsnKind kind, String mnemonic, int spDelta, String callee, int... bytes) {
            insns.add(new Insn(out.size(), bytes.length, kind, mnemonic, spDelta, callee));
            for (int b : bytes) {
                out.write(b);
            }
        }

        void plain(String mnemonic, int... bytes) {
            emit(InsnKind.PLAIN, mnemonic, 0, null, bytes);
        }
    }

    @Override
    public Code assemble(FunctionDef def) {
        Emitter e = new Emitter();
        boolean leaf = def.callees().isEmpty();
        e.emit(InsnKind.PLAIN, "push   %rbp", -8, null, 0x55);
        e.plain("mov    %rsp,%rbp", 0x48, 0x89, 0xe5);
        if (!leaf) {
            e.emit(InsnKind.PLAIN, "push   %r12", -8, null, 0x41, 0x54);
            e.emit(InsnKind.PLAIN, "push   %rbx", -8, null, 0x53);
        }
        if (def.frameSize() > 0) {
            e.emit(InsnKind.PLAIN, String.format("sub    $0x%x,%%rsp", def.frameSize()), -def.frameSize(), null,
                    0x48, 0x83, 0xec, def.frameSize());
        }
        if (def.has(FnAttr.IRQ_SAVE)) {
            e.emit(InsnKind.PLAIN, "pushf", -8, null, 0x9c);
            e.emit(InsnKind.PLAIN, "pop    %rax", 8, null, 0x58);
            e.emit(InsnKind.IF_MODIFIER, "cli", 0, null, 0xfa);
        }
        if (!leaf && def.nargs() >= 1) {
            e.plain("mov    %rdi,%rbx", 0x48, 0x89, 0xfb);
        }
        if (!leaf && def.nargs() >= 2) {
            e.plain("mov    %rsi,%r12", 0x49, 0x89, 0xf4);
        }
        if (leaf) {
            leafBody(e, def);
        }
        int bodyStart = e.insns.size();
        extras(e, def);
        for (String callee : def.callees()) {
            if (def.nargs() >= 1) {
                e.plain("mov    %rbx,%rdi", 0x48, 0x89, 0xdf);
            }
            e.emit(InsnKind.CALL, "call   " + callee, 0, callee, 0xe8, 0, 0, 0, 0);
            e.plain("mov    %rax,%r12", 0x49, 0x89, 0xc4);
        }
        if (def.has(FnAttr.NORETURN)) {
            e.emit(InsnKind.BUG, "ud2", 0, null, 0x0f, 0x0b);
            return new Code(e.out.toByteArray(), e.insns, bodyStart);
        }
        if (!leaf) {
            e.plain("mov    %r12,%rax", 0x4c, 0x89, 0xe0);
        }
        if (def.frameSize() > 0) {
            e.emit(InsnKind.PLAIN, String.format("add    $0x%x,%%rsp", def.frameSize()), def.frameSize(), null,
                    0x48, 0x83, 0xc4, def.frameSize());
        }
        if (def.has(FnAttr.IRQ_SAVE)) {
            e.emit(InsnKind.PLAIN, "push   %rax", -8, null, 0x50);
            e.emit(InsnKind.IF_MODIFIER, "popf", 8, null, 0x9d);
        }
        if (!leaf) {
            e.emit(InsnKind.PLAIN, "pop    %rbx", 8, null, 0x5b);
            e.emit(InsnKind.PLAIN, "pop    %r12", 8, null, 0x41, 0x5c);
        }
        e.emit(InsnKind.PLAIN, "pop    %rbp", 8, null, 0x5d);
        e.emit(InsnKind.RET, "ret", 8, null, 0xc3);
        return new Code(e.out.toByteArray(), e.insns, bodyStart);
    }

    private static void leafBody(Emitter e, FunctionDef def) {
        if (def.nargs() >= 1) {
            e.plain("mov    %rdi,%rax", 0x48, 0x89, 0xf8);
            e.plain("test   %rax,%rax", 0x48, 0x85, 0xc0);
            e.emit(InsnKind.JCC, "je     .+0x2", 0, null, 0x74, 0x00);
        } else {
            e.plain("xor    %eax,%eax", 0x31, 0xc0);
        }
    }

    private static void extras(Emitter e, FunctionDef def) {
        if (def.has(FnAttr.JUMP_LABEL)) {
            e.emit(InsnKind.NOP, "nopl   0x0(%rax,%rax,1)", 0, null, 0x0f, 0x1f, 0x44, 0x00, 0x00);
        }
        if (def.has(FnAttr.ALTERNATIVE)) {
            e.plain("clac", 0x0f, 0x01, 0xca);
        }
        if (def.has(FnAttr.UNSUPPORTED_INSN)) {
            e.emit(InsnKind.UNSUPPORTED, "int3", 0, null, 0xcc);
        }
        if (def.has(FnAttr.BUG_SITE)) {
            e.plain("test   %eax,%eax", 0x85, 0xc0);
            e.emit(InsnKind.JCC, "jne    .+0x2", 0, null, 0x75, 0x02);
            e.emit(InsnKind.BUG, "ud2", 0, null, 0x0f, 0x0b);
        }
        if (def.has(FnAttr.EXTABLE)) {
            e.plain("mov    (%rsi),%eax", 0x8b, 0x06);
        }
    }

    @Override
    public void patchCall(byte[] bytes, int at, long insnAddr, long target) {
        long rel = target - (insnAddr + 5);
        if (rel != (int) rel) {
            throw new IllegalStateException("call displacement does not fit in rel32: " + Long.toHexString(rel));
        }
        for (int i = 0; i < 4; i++) {
            bytes[at + 1 + i] = (byte) (rel >>> (8 * i));
        }
    }

    @Override
    public byte padding() {
        return (byte) 0xcc;
    }

    @Override
    public int functionAlignment() {
        return 16;
    }

    @Override
    public int prefixSize() {
        return 16;
    }
}
