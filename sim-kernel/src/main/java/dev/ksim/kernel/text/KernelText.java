package dev.ksim.kernel.text;

import dev.ksim.kernel.Arch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * All executable memory of one kernel: the image's text laid out from {@link FunctionDef}s, module text
 * loaded later, and the kallsyms view of both.
 *
 * <p>Layout, x86_64: {@code _text} at {@link Arch#textBase}, then per function a 16-byte {@code __pfx_}
 * NOP pad and the function, 16-byte aligned, gaps filled with int3. arm64: functions 8-byte aligned.
 * kallsyms sizes run to the next symbol, as the kernel computes them.
 */
public final class KernelText {
    private final Arch arch;
    private final Assembler asm;
    /** The kernel image's text. */
    private final TextSegment core;
    private final Map<String, KFunction> coreFunctions;
    /** Image symbols in address order (text first, then data). */
    private final List<Symbol> coreSymbols;
    /** Loaded modules by base address; modified under {@link #textMutex}. */
    private final ConcurrentSkipListMap<Long, ModuleText> modules = new ConcurrentSkipListMap<>();
    /** Symbol name → symbols (image first, then modules in load order); modified under textMutex. */
    private volatile Map<String, List<Symbol>> byName;
    /** {@code text_mutex}: serialises every change to text (breakpoints, module text). */
    public final ReentrantLock textMutex = new ReentrantLock();
    /** Next free address in the module area; guarded by textMutex. */
    private long moduleAreaNext;
    private final long etext;

    /**
     * Lays out the kernel image.
     *
     * @param arch the architecture
     * @param functions the image's functions, in link order
     * @param data the image's data symbols: name → size, in order
     */
    public KernelText(Arch arch, List<FunctionDef> functions, Map<String, Integer> data) {
        this.arch = arch;
        this.asm = Assembler.of(arch);
        Layout layout = layout(null, arch.textBase, functions);
        this.core = layout.segment;
        this.coreFunctions = layout.functions;
        this.etext = arch.textBase + core.size();
        List<Symbol> syms = new ArrayList<>();
        syms.add(new Symbol("_text", arch.textBase, 0, 'T', null));
        syms.add(new Symbol("_stext", arch.textBase, 0, 'T', null));
        syms.addAll(layout.symbols);
        long at = etext;
        syms.add(new Symbol("_etext", at, 0, 'T', null));
        at = (at + 0xfff) & ~0xfffL;
        syms.add(new Symbol("_sdata", at, 0, 'D', null));
        for (Map.Entry<String, Integer> d : data.entrySet()) {
            int size = d.getValue();
            at = (at + 63) & ~63L;
            char type = d.getKey().startsWith("__bss") ? 'b' : 'D';
            syms.add(new Symbol(d.getKey(), at, size, type, null));
            at += size;
        }
        syms.add(new Symbol("_end", (at + 0xfff) & ~0xfffL, 0, 'B', null));
        this.coreSymbols = List.copyOf(syms);
        this.moduleAreaNext = arch.modulesBase + 0x1000;
        rebuildNames();
    }

    private record Layout(TextSegment segment, Map<String, KFunction> functions, List<Symbol> symbols) {
    }

    private Layout layout(String module, long base, List<FunctionDef> defs) {
        int align = asm.functionAlignment();
        int pfx = asm.prefixSize();
        List<Code> codes = new ArrayList<>();
        long[] starts = new long[defs.size()];
        long at = base;
        for (int i = 0; i < defs.size(); i++) {
            Code c = asm.assemble(defs.get(i));
            codes.add(c);
            at += pfx;
            at = (at + align - 1) & -align;
            starts[i] = at;
            at += c.bytes().length;
        }
        long end = (at + align - 1) & -align;
        byte[] bytes = new byte[(int) (end - base)];
        java.util.Arrays.fill(bytes, asm.padding());
        TextSegment seg = new TextSegment(module, base, bytes);
        Map<String, KFunction> fns = new LinkedHashMap<>();
        List<Symbol> syms = new ArrayList<>();
        for (int i = 0; i < defs.size(); i++) {
            FunctionDef def = defs.get(i);
            Code c = codes.get(i);
            long start = starts[i];
            if (pfx > 0) {
                java.util.Arrays.fill(bytes, (int) (start - pfx - base), (int) (start - base), (byte) 0x90);
                syms.add(new Symbol("__pfx_" + def.name(), start - pfx, pfx, 't', module));
            }
            long next = i + 1 < defs.size() ? starts[i + 1] - pfx : end;
            System.arraycopy(c.bytes(), 0, bytes, (int) (start - base), c.bytes().length);
            char type = module == null ? (def.has(FnAttr.GLOBAL) ? 'T' : 't') : 't';
            Symbol sym = new Symbol(def.name(), start, next - start, type, module);
            syms.add(sym);
            List<Insn> insns = new ArrayList<>(c.insns());
            for (int off = c.bytes().length; off < next - start; off += padUnit()) {
                insns.add(new Insn(off, padUnit(), arch == Arch.X86_64 ? InsnKind.UNSUPPORTED : InsnKind.REJECTED,
                        arch == Arch.X86_64 ? "int3" : "udf    #0x0", 0, null));
            }
            if (fns.put(def.name(), new KFunction(sym, def, seg, insns, c.insns().size(), c.bodyStart())) != null) {
                throw new IllegalArgumentException("duplicate function " + def.name());
            }
        }
        return new Layout(seg, fns, syms);
    }

    private int padUnit() {
        return arch == Arch.X86_64 ? 1 : 4;
    }

    /** Resolves every call instruction of the given functions against the image and the module's own. */
    private void link(Collection<KFunction> fns, Map<String, KFunction> local) {
        for (KFunction f : fns) {
            for (int k = 0; k < f.callInsn.length; k++) {
                Insn call = f.insns[f.callInsn[k]];
                KFunction target = local.get(call.callee());
                if (target == null) {
                    target = coreFunctions.get(call.callee());
                }
                if (target == null) {
                    throw new IllegalArgumentException(f.name() + " calls unknown function " + call.callee());
                }
                f.callTarget[k] = target;
                long insnAddr = f.symbol.address() + call.offset();
                asm.patchCall(f.segment.bytes, (int) (insnAddr - f.segment.base), insnAddr, target.address());
            }
        }
    }

    /** Links the image's own calls; called once after construction. */
    public void linkImage() {
        link(coreFunctions.values(), Map.of());
    }

    /**
     * Loads a module's functions into the module area (state COMING).
     *
     * @param module the module's name
     * @param defs its functions
     * @return the loaded text
     */
    public ModuleText loadModule(String module, List<FunctionDef> defs) {
        textMutex.lock();
        try {
            long base = moduleAreaNext;
            Layout l = layout(module, base, defs);
            link(l.functions.values(), l.functions);
            moduleAreaNext = (base + l.segment.size() + 0xfff + 0x1000) & ~0xfffL;
            ModuleText mt = new ModuleText(module, l.segment, l.functions, l.symbols);
            modules.put(base, mt);
            rebuildNames();
            return mt;
        } finally {
            textMutex.unlock();
        }
    }

    /**
     * Frees a module's text: its symbols disappear from kallsyms.
     *
     * @param mt the module's text
     */
    public void unloadModule(ModuleText mt) {
        textMutex.lock();
        try {
            mt.setState(ModuleText.State.GONE);
            modules.remove(mt.segment.base);
            rebuildNames();
        } finally {
            textMutex.unlock();
        }
    }

    /**
     * Allocates executable pages in the module area (for kprobe instruction slots).
     *
     * @param size bytes wanted
     * @return the segment
     */
    public TextSegment allocateExecutable(int size) {
        textMutex.lock();
        try {
            long base = moduleAreaNext;
            moduleAreaNext = (base + size + 0xfff + 0x1000) & ~0xfffL;
            return new TextSegment("__builtin__kprobes", base, new byte[size]);
        } finally {
            textMutex.unlock();
        }
    }

    private void rebuildNames() {
        Map<String, List<Symbol>> m = new HashMap<>();
        for (Symbol s : coreSymbols) {
            m.computeIfAbsent(s.name(), k -> new ArrayList<>(1)).add(s);
        }
        for (ModuleText mt : modules.values()) {
            for (Symbol s : mt.symbols) {
                m.computeIfAbsent(s.name(), k -> new ArrayList<>(1)).add(s);
            }
        }
        byName = m;
    }

    /** @return the architecture */
    public Arch arch() {
        return arch;
    }

    /** @return the kernel image's text */
    public TextSegment core() {
        return core;
    }

    /** @return {@code _etext} */
    public long etext() {
        return etext;
    }

    /** @param name a function of the image @return it, or {@code null} */
    public KFunction coreFunction(String name) {
        return coreFunctions.get(name);
    }

    /** @return the image's functions in address order */
    public Collection<KFunction> coreFunctions() {
        return Collections.unmodifiableCollection(coreFunctions.values());
    }

    /** @return the image's symbols in address order */
    public List<Symbol> coreSymbols() {
        return coreSymbols;
    }

    /** @return the loaded modules in address order */
    public Collection<ModuleText> modules() {
        return Collections.unmodifiableCollection(modules.values());
    }

    /** @param name a module name @return its text, or {@code null} */
    public ModuleText module(String name) {
        for (ModuleText mt : modules.values()) {
            if (mt.name.equals(name)) {
                return mt;
            }
        }
        return null;
    }

    /**
     * {@code kallsyms_lookup_name}: the first symbol of that name. Accepts {@code module:symbol}.
     *
     * @param name the name
     * @return its symbol, or {@code null}
     */
    public Symbol lookupName(String name) {
        int colon = name.indexOf(':');
        if (colon > 0) {
            String mod = name.substring(0, colon);
            List<Symbol> l = byName.get(name.substring(colon + 1));
            if (l != null) {
                for (Symbol s : l) {
                    if (mod.equals(s.module()) || (mod.equals("vmlinux") && s.module() == null)) {
                        return s;
                    }
                }
            }
            return null;
        }
        List<Symbol> l = byName.get(name);
        return l == null ? null : l.get(0);
    }

    /** @param name a symbol name @return every symbol with that name */
    public List<Symbol> lookupAll(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /**
     * {@code kallsyms_lookup_size_offset}: the symbol containing an address (text or data of the image,
     * or a module's text).
     *
     * @param addr the address
     * @return the symbol, or {@code null}
     */
    public Symbol lookup(long addr) {
        List<Symbol> syms;
        if (Long.compareUnsigned(addr, arch.textBase) >= 0
                && Long.compareUnsigned(addr, coreSymbols.get(coreSymbols.size() - 1).address()) < 0) {
            syms = coreSymbols;
        } else {
            ModuleText mt = moduleAt(addr);
            if (mt == null) {
                return null;
            }
            syms = mt.symbols;
        }
        int lo = 0;
        int hi = syms.size() - 1;
        Symbol best = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Symbol s = syms.get(mid);
            if (Long.compareUnsigned(s.address(), addr) <= 0) {
                best = s;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        // Among aliases at the same address, the kernel reports the last one that has a size.
        return best;
    }

    /** @param addr an address @return the module whose text contains it, or {@code null} */
    public ModuleText moduleAt(long addr) {
        Map.Entry<Long, ModuleText> e = modules.floorEntry(addr);
        return e != null && e.getValue().segment.contains(addr) ? e.getValue() : null;
    }

    /** @param addr an address @return true if it is in the image's text */
    public boolean isCoreText(long addr) {
        return core.contains(addr);
    }

    /**
     * Finds the function (image or module) whose instructions contain an address.
     *
     * @param addr the address
     * @return the function, or {@code null}
     */
    public KFunction functionAt(long addr) {
        Symbol s = lookup(addr);
        if (s == null || !s.isText()) {
            return null;
        }
        if (s.module() == null) {
            return coreFunctions.get(s.name());
        }
        ModuleText mt = moduleAt(addr);
        return mt == null ? null : mt.functions.get(s.name());
    }

    /** @param addr an address @return the text segment containing it, or {@code null} */
    public TextSegment segmentAt(long addr) {
        if (core.contains(addr)) {
            return core;
        }
        ModuleText mt = moduleAt(addr);
        return mt == null ? null : mt.segment;
    }
}
