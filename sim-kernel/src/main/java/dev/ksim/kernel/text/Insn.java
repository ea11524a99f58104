package dev.ksim.kernel.text;

/**
 * One machine instruction of a simulated function.
 *
 * @param offset byte offset from the function's start
 * @param length encoded length in bytes
 * @param kind how the kprobe engine treats it
 * @param mnemonic its disassembly, AT&T syntax on x86 ({@code push %rbp}), for views and messages
 * @param spDelta how the instruction changes the stack pointer (push: -8, ret: +8, …)
 * @param callee for a call or jump, the target's symbol name; otherwise {@code null}
 */
public record Insn(int offset, int length, InsnKind kind, String mnemonic, int spDelta, String callee) {
    /** @return true for an instruction that transfers control to another function */
    public boolean isCall() {
        return kind == InsnKind.CALL;
    }
}
