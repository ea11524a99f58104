package dev.ksim.kernel.kprobes;

import dev.ksim.kernel.text.FnAttr;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.kernel.text.KernelText;
import dev.ksim.kernel.text.ModuleText;
import dev.ksim.kernel.text.Symbol;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code kprobe_blacklist}: address ranges kprobes refuses. Built as {@code populate_kprobe_blacklist}
 * builds it: the {@code NOKPROBE_SYMBOL} entries first, then every function of {@code .kprobes.text},
 * {@code .noinstr.text} and (x86) {@code .entry.text}; a module's entries are added while it is loaded.
 */
final class Blacklist {
    /** One blacklisted range. */
    record Entry(long start, long end, Symbol symbol) {
    }

    /** Copy-on-write: changed under kprobe_mutex (module load/unload), read anywhere. */
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final KernelText text;

    Blacklist(KernelText text) {
        this.text = text;
        List<KFunction> fns = new ArrayList<>(text.coreFunctions());
        for (FnAttr attr : BlacklistSections.ORDER) {
            add(fns, attr);
        }
    }

    private void add(List<KFunction> fns, FnAttr attr) {
        for (KFunction f : fns) {
            if (f.def.has(attr) && !listed(f)) {
                entries.add(new Entry(f.address(), f.symbol.end(), f.symbol));
            }
        }
    }

    private boolean listed(KFunction f) {
        for (Entry e : entries) {
            if (e.start == f.address()) {
                return true;
            }
        }
        return false;
    }

    /** Adds a module's NOKPROBE functions (MODULE_STATE_COMING). @param mt the module */
    void addModule(ModuleText mt) {
        for (KFunction f : mt.functions.values()) {
            if (f.def.has(FnAttr.NOKPROBE) || f.def.has(FnAttr.KPROBES_TEXT)) {
                entries.add(new Entry(f.address(), f.symbol.end(), f.symbol));
            }
        }
    }

    /** Drops a module's entries (MODULE_STATE_GOING). @param mt the module */
    void removeModule(ModuleText mt) {
        entries.removeIf(e -> mt.name.equals(e.symbol.module()));
    }

    private boolean withinRanges(long addr) {
        for (Entry e : entries) {
            if (Long.compareUnsigned(addr, e.start) >= 0 && Long.compareUnsigned(addr, e.end) < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code within_kprobe_blacklist}: in a blacklisted range, or in a suffixed clone
     * ({@code foo.isra.0}, {@code foo.cold}) of a blacklisted {@code foo}.
     *
     * @param addr the address
     * @return whether it may not be probed
     */
    boolean contains(long addr) {
        if (withinRanges(addr)) {
            return true;
        }
        Symbol s = text.lookup(addr);
        if (s == null) {
            return false;
        }
        int dot = s.name().indexOf('.');
        if (dot <= 0) {
            return false;
        }
        Symbol base = text.lookupName(s.name().substring(0, dot));
        return base != null && withinRanges(base.address());
    }

    /** @return the entries in list order */
    List<Entry> entries() {
        return List.copyOf(entries);
    }
}
