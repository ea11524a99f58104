package dev.ksim.kernel.kprobes;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.text.KernelText;
import dev.ksim.kernel.text.TextSegment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * {@code kprobe_insn_slots}: executable pages holding copies of probed instructions, each followed by a
 * breakpoint that ends the single-step (x86: int3; arm64: {@code BRK64_OPCODE_KPROBES_SS}). Pages come
 * from the module area and show in kallsyms as {@code kprobe_insn_page [__builtin__kprobes]}.
 *
 * <p>Guarded by kprobe_mutex (all callers hold it).
 */
final class InsnSlots {
    static final int PAGE_SIZE = 4096;
    private final KernelText text;
    private final Arch arch;
    private final int slotSize;
    private final int maxPages;
    private final List<TextSegment> pages = new ArrayList<>();
    private final List<BitSet> used = new ArrayList<>();

    InsnSlots(KernelText text, int maxPages) {
        this.text = text;
        this.arch = text.arch();
        this.slotSize = arch == Arch.X86_64 ? 16 : 8;
        this.maxPages = maxPages;
    }

    /**
     * {@code get_insn_slot} + the copy: allocates a slot and writes the instruction and the trailing
     * breakpoint into it.
     *
     * @param insn the original instruction's bytes
     * @return the slot's address, or 0 when no page can be allocated (-ENOMEM)
     */
    long allocate(byte[] insn) {
        int per = PAGE_SIZE / slotSize;
        for (int p = 0; p < pages.size(); p++) {
            int s = used.get(p).nextClearBit(0);
            if (s < per) {
                return fill(p, s, insn);
            }
        }
        if (pages.size() >= maxPages) {
            return 0;
        }
        pages.add(text.allocateExecutable(PAGE_SIZE));
        used.add(new BitSet(per));
        return fill(pages.size() - 1, 0, insn);
    }

    private long fill(int p, int s, byte[] insn) {
        used.get(p).set(s);
        TextSegment page = pages.get(p);
        long addr = page.base + (long) s * slotSize;
        for (int i = 0; i < insn.length; i++) {
            page.poke(addr + i, insn[i], 1);
        }
        if (arch == Arch.X86_64) {
            page.poke(addr + insn.length, Arch.INT3_INSN_OPCODE, 1);
        } else {
            page.poke(addr + insn.length, Arch.BRK64_OPCODE_KPROBES_SS, 4);
        }
        return addr;
    }

    /** {@code free_insn_slot}. @param addr a slot returned by {@link #allocate} */
    void free(long addr) {
        for (int p = 0; p < pages.size(); p++) {
            TextSegment page = pages.get(p);
            if (page.contains(addr)) {
                used.get(p).clear((int) ((addr - page.base) / slotSize));
                return;
            }
        }
    }

    /** @return the slot pages' addresses, for kallsyms */
    List<Long> pageAddresses() {
        List<Long> out = new ArrayList<>();
        for (TextSegment t : pages) {
            out.add(t.base);
        }
        return out;
    }

    /** @param addr an address @return the page containing it, or null */
    TextSegment pageAt(long addr) {
        for (TextSegment t : pages) {
            if (t.contains(addr)) {
                return t;
            }
        }
        return null;
    }
}
