package dev.ksim.kernel.trace;

import dev.ksim.kernel.text.KernelText;
import dev.ksim.kernel.text.Symbol;

/** {@code %pS} and {@code %ps} for trace output ({@code sprint_symbol}, {@code sprint_symbol_no_offset}). */
final class Symbols {
    private Symbols() {
    }

    /** @return {@code sym+0xoff/0xsize [mod]}, or {@code 0xaddr} when no symbol covers the address */
    static String withOffset(KernelText text, long addr) {
        Symbol s = text.lookup(addr);
        if (s == null) {
            return "0x" + Long.toHexString(addr);
        }
        return s.name() + "+0x" + Long.toHexString(addr - s.address()) + "/0x" + Long.toHexString(s.size())
                + (s.module() != null ? " [" + s.module() + "]" : "");
    }

    /** @return {@code sym [mod]}, or {@code 0xaddr} */
    static String name(KernelText text, long addr) {
        Symbol s = text.lookup(addr);
        if (s == null) {
            return "0x" + Long.toHexString(addr);
        }
        return s.name() + (s.module() != null ? " [" + s.module() + "]" : "");
    }
}
