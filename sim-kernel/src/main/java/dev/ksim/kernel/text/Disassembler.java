package dev.ksim.kernel.text;

import dev.ksim.kernel.Arch;

/**
 * {@code objdump -d} of a simulated function as its text is now: an armed kprobe shows as the
 * breakpoint it wrote, annotated with the instruction it replaced — the "before and after the
 * breakpoint" picture of the kprobes mechanism.
 */
public final class Disassembler {
    private Disassembler() {
    }

    /**
     * @param f the function
     * @param arch the architecture
     * @return its disassembly, one instruction per line
     */
    public static String disassemble(KFunction f, Arch arch) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%016x <%s>:%n", f.address(), f.name()));
        for (int i = 0; i <= f.lastInsn(); i++) {
            Insn insn = f.insn(i);
            long a = f.insnAddress(i);
            byte[] now = f.segment.read(a, insn.length());
            StringBuilder hex = new StringBuilder();
            if (arch == Arch.ARM64) {
                hex.append(String.format("%08x", f.segment.readWord(a)));
            } else {
                for (byte x : now) {
                    hex.append(String.format("%02x ", x & 0xff));
                }
            }
            String text = insn.mnemonic();
            if (f.breakpointAt(i, arch)) {
                text = (arch == Arch.X86_64 ? "int3" : "brk    #0x4") + "                  ; kprobe, replaced: " + text;
            }
            b.append(String.format("%16x:\t%-21s\t%s%n", a, hex.toString().strip(), text));
        }
        return b.toString().replace(System.lineSeparator(), "\n");
    }
}
