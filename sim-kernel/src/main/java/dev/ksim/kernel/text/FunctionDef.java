package dev.ksim.kernel.text;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a simulated function looks like in machine code: its name, arity, the functions it calls (in
 * order; each becomes a real call instruction), its stack frame and its attributes. The assembler turns
 * it into bytes; a {@link Body} gives it behaviour.
 *
 * @param name the symbol name, e.g. {@code kernel_clone} or {@code do_execveat_common.isra.0}
 * @param nargs how many arguments it takes in registers (0–6)
 * @param callees the functions its body calls, in the order their call instructions appear
 * @param frameSize bytes of locals, a multiple of 8 up to 0x78
 * @param attrs its attributes
 */
public record FunctionDef(String name, int nargs, List<String> callees, int frameSize, Set<FnAttr> attrs) {
    public FunctionDef {
        if (nargs < 0 || nargs > 6) {
            throw new IllegalArgumentException(name + ": nargs must be 0..6");
        }
        if (frameSize < 0 || frameSize > 0x78 || frameSize % 8 != 0) {
            throw new IllegalArgumentException(name + ": frameSize must be a multiple of 8 up to 0x78");
        }
        callees = List.copyOf(callees);
        attrs = attrs.isEmpty() ? EnumSet.noneOf(FnAttr.class) : EnumSet.copyOf(attrs);
    }

    /** @param a an attribute @return whether this function has it */
    public boolean has(FnAttr a) {
        return attrs.contains(a);
    }
}
