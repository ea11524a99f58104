package dev.ksim.kernel.kprobes;

import static dev.ksim.kernel.kprobes.KprobeStatus.KPROBE_HIT_ACTIVE;
import static dev.ksim.kernel.kprobes.KprobeStatus.KPROBE_HIT_SS;
import static dev.ksim.kernel.kprobes.KprobeStatus.KPROBE_HIT_SSDONE;
import static dev.ksim.kernel.kprobes.KprobeStatus.KPROBE_REENTER;
import static dev.ksim.sdk.Errno.EILSEQ;
import static dev.ksim.sdk.Errno.EINVAL;
import static dev.ksim.sdk.Errno.ENOENT;
import static dev.ksim.sdk.Errno.ENOMEM;
import static dev.ksim.sdk.Errno.ENOSYS;
import static dev.ksim.sdk.Errno.EOPNOTSUPP;
import static dev.ksim.sdk.Kprobe.KPROBE_FLAG_DISABLED;
import static dev.ksim.sdk.Kprobe.KPROBE_FLAG_GONE;
import static dev.ksim.sdk.Kprobe.KPROBE_FLAG_ON_FUNC_ENTRY;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.KernelPanic;
import dev.ksim.kernel.cpu.Rcu;
import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.kernel.cpu.TrapHandler;
import dev.ksim.kernel.cpu.Unwind;
import dev.ksim.kernel.text.FnAttr;
import dev.ksim.kernel.text.Insn;
import dev.ksim.kernel.text.InsnKind;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.kernel.text.KernelText;
import dev.ksim.kernel.text.ModuleText;
import dev.ksim.kernel.text.Symbol;
import dev.ksim.kernel.text.TextSegment;
import dev.ksim.sdk.Arm64PtRegs;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.KprobePostHandler;
import dev.ksim.sdk.KprobePreHandler;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.X86PtRegs;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * The kprobes subsystem ({@code kernel/kprobes.c} with the x86 and arm64 breakpoint handlers): it
 * validates and registers probes, writes and removes breakpoints, and runs handlers when a CPU hits one.
 *
 * <p>Locking, as in the kernel: {@link #kprobeMutex} serialises registration, unregistration, enable,
 * disable and global arming; text changes additionally take text_mutex. Breakpoint handling takes no
 * lock: it reads the hash table under RCU, and unregistration waits a grace period before returning, so
 * no handler runs after {@code unregister_kprobe} returns.
 */
public final class KprobeEngine implements TrapHandler {
    private static final VarHandle NMISSED;

    static {
        try {
            NMISSED = MethodHandles.publicLookup().findVarHandle(Kprobe.class, "nmissed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final KprobeHost host;
    private final KernelText text;
    private final Arch arch;
    private final boolean configKprobes;

    /** {@code kprobe_mutex}: protects the table, {@link #allDisarmed} and every probe's state. */
    private final ReentrantLock kprobeMutex = new ReentrantLock();
    /** {@code kprobe_table}: written under kprobeMutex, read under RCU. */
    private final KprobeTable table = new KprobeTable();
    /** {@code kprobes_all_disarmed}: change only with kprobeMutex held. */
    private volatile boolean allDisarmed;
    private final Blacklist blacklist;
    /** Guarded by kprobeMutex. */
    private final InsnSlots slots;
    /** {@code WARN_ON_ONCE} in warn_kprobe_rereg fired already; guarded by kprobeMutex. */
    private boolean reregWarned;
    /** The function breakpoint handlers appear to run in, on stack traces. */
    private final KFunction handlerFrame;
    /** Misses by cause, per probe; entries are created on the (slow) miss paths only. */
    private final java.util.Map<Kprobe, MissStats> misses =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    MissStats stats(Kprobe p) {
        return misses.computeIfAbsent(p, x -> new MissStats(nrCpus));
    }

    /**
     * @param p a probe (for a kretprobe, its {@code kp})
     * @return its misses by cause since it was registered
     */
    public MissStats missStats(Kprobe p) {
        return stats(p);
    }

    /**
     * @param p a registered probe (for a kretprobe, its {@code kp})
     * @return its {@code nmissed} as debugfs reports it: for a kretprobe, also the calls it could not track
     */
    public long nmissed(Kprobe p) {
        return p.nmissed + kretprobes.nmissedOf(p);
    }

    /** @return every registered probe (an aggregated address's probes, not the aggregator), by address */
    public List<Kprobe> registered() {
        List<Kprobe> out = new java.util.ArrayList<>();
        Rcu.lockSleeping(kprobeMutex);
        try {
            for (ProbePoint pp : table.all()) {
                out.addAll(List.of(pp.probes()));
            }
        } finally {
            kprobeMutex.unlock();
        }
        return out;
    }

    /** A simulated NMI delivered while a probed instruction is single-stepped (tests use it). */
    private volatile BiConsumer<Cpu, Kprobe> singleStepInterrupt;

    /**
     * @param host the rest of the kernel
     * @param configKprobes {@code CONFIG_KPROBES}: when false every registration returns -ENOSYS
     * @param maxInsnPages how many instruction-slot pages may be allocated before -ENOMEM
     * @param defaultMaxactive the kretprobe maxactive used when a kretprobe asks for none
     * @param nrCpus the number of CPUs
     * @param profile the kernel version: messages, fault_handler and jprobes follow it
     */
    public KprobeEngine(KprobeHost host, boolean configKprobes, int maxInsnPages, int defaultMaxactive, int nrCpus,
            dev.ksim.kernel.KernelProfile profile) {
        this.host = host;
        this.profile = profile;
        this.prefix = profile.kprobesMessagePrefix() ? "kprobes: " : "";
        this.text = host.text();
        this.arch = text.arch();
        this.configKprobes = configKprobes;
        this.blacklist = new Blacklist(text);
        this.slots = new InsnSlots(text, maxInsnPages);
        this.handlerFrame = text.coreFunction(arch == Arch.X86_64 ? "kprobe_int3_handler" : "kprobe_breakpoint_handler");
        this.nrCpus = nrCpus;
        this.kretprobes = new Kretprobes(this, host, defaultMaxactive, nrCpus);
        this.jprobes = new Jprobes(this, host);
    }

    /** The number of CPUs: the size of each probe's per-CPU hit counter. */
    private final int nrCpus;

    /** kretprobes, built on this engine. */
    private final Kretprobes kretprobes;
    /** jprobes (4.14), built on this engine. */
    private final Jprobes jprobes;

    /**
     * {@code register_jprobe}: -ENOSYS on profiles after 4.14.
     *
     * @param jp the jprobe
     * @return 0 or a negative errno
     */
    public int register_jprobe(dev.ksim.sdk.Jprobe jp) {
        return configKprobes ? jprobes.register(jp) : -ENOSYS;
    }

    /**
     * {@code register_jprobes}: all or nothing.
     *
     * @param jps the jprobes
     * @param num how many
     * @return 0 or the first failure's errno
     */
    public int register_jprobes(dev.ksim.sdk.Jprobe[] jps, int num) {
        if (!configKprobes || !profile.jprobes()) {
            return -ENOSYS;
        }
        return registerAll(jps, num, jprobes::register, jprobes::unregister);
    }

    /** @param jps the jprobes @param num how many */
    public void unregister_jprobes(dev.ksim.sdk.Jprobe[] jps, int num) {
        jprobes.unregister(jps, num);
    }

    /** {@code jprobe_return}. */
    public void jprobe_return() {
        jprobes.jprobeReturn();
    }
    private final dev.ksim.kernel.KernelProfile profile;
    /** {@code pr_fmt} of kernel/kprobes.c: "kprobes: " on current kernels. */
    private final String prefix;

    /** {@code _kprobe_addr} for kretprobes: the canonical address, or a negative errno. */
    long canonicalAddress(long addr, String symbolName, int offset) {
        return kprobeAddr(addr, symbolName, offset);
    }

    /** @param p a probe @return whether it is registered (takes kprobe_mutex) */
    boolean isRegistered(Kprobe p) {
        return withMutex(() -> getValid(p) != null);
    }

    /** Runs code under kprobe_mutex. @param body the code @param <T> its result @return its result */
    <T> T withMutex(java.util.function.Supplier<T> body) {
        Rcu.lockSleeping(kprobeMutex);
        try {
            return body.get();
        } finally {
            kprobeMutex.unlock();
        }
    }

    /** Runs code under kprobe_mutex. @param body the code */
    void withMutex(Runnable body) {
        withMutex(() -> {
            body.run();
            return null;
        });
    }

    /**
     * {@code register_kretprobe}.
     *
     * @param rp the kretprobe
     * @return 0 or a negative errno
     */
    public int register_kretprobe(dev.ksim.sdk.Kretprobe rp) {
        if (!configKprobes) {
            return -dev.ksim.sdk.Errno.EOPNOTSUPP;
        }
        return kretprobes.register(rp);
    }

    /**
     * {@code register_kretprobes}: all or nothing.
     *
     * @param rps the kretprobes
     * @param num how many
     * @return 0 or the first failure's errno
     */
    public int register_kretprobes(dev.ksim.sdk.Kretprobe[] rps, int num) {
        if (!configKprobes) {
            return -dev.ksim.sdk.Errno.EOPNOTSUPP;
        }
        return registerAll(rps, num, kretprobes::register, kretprobes::unregister);
    }

    /**
     * The batch rule of register_kprobes/kretprobes/jprobes: register in order and, on the first failure,
     * unregister those already registered and return its errno.
     */
    private static <T> int registerAll(T[] probes, int num, java.util.function.ToIntFunction<T> register,
            java.util.function.ObjIntConsumer<T[]> unregister) {
        if (probes == null || num <= 0 || num > probes.length) {
            return -EINVAL;
        }
        for (int i = 0; i < num; i++) {
            int ret = register.applyAsInt(probes[i]);
            if (ret < 0) {
                if (i > 0) {
                    unregister.accept(probes, i);
                }
                return ret;
            }
        }
        return 0;
    }

    /** @param rp the kretprobe; in-flight calls return without its handler */
    public void unregister_kretprobe(dev.ksim.sdk.Kretprobe rp) {
        kretprobes.unregister(new dev.ksim.sdk.Kretprobe[] {rp}, 1);
    }

    /** @param rps the kretprobes @param num how many */
    public void unregister_kretprobes(dev.ksim.sdk.Kretprobe[] rps, int num) {
        kretprobes.unregister(rps, num);
    }

    /**
     * Recycles a dead task's kretprobe instances ({@code kprobe_flush_task}).
     *
     * @param task the reaped task
     */
    public void flushTask(dev.ksim.kernel.cpu.Task task) {
        kretprobes.flushTask(task);
    }

    /**
     * @param rp a registered kretprobe
     * @return how many of its instances are free now, or -1 if it is not registered
     */
    public int freeInstances(dev.ksim.sdk.Kretprobe rp) {
        Kretprobes.Holder h = kretprobes.holder(rp);
        return h == null ? -1 : h.pool.free();
    }

    // ================================================================= registration

    /**
     * {@code _kprobe_addr}: canonicalises symbol + offset (or addr + offset) to an address inside a
     * symbol.
     *
     * @return the address, or a negative errno
     */
    private long kprobeAddr(long addr, String symbolName, int offset) {
        if ((symbolName != null && addr != 0) || (symbolName == null && addr == 0)) {
            return -EINVAL;
        }
        if (symbolName != null) {
            Symbol s = symbolName.isEmpty() || symbolName.length() >= 512 ? null : text.lookupName(symbolName);
            if (s == null) {
                return -ENOENT;
            }
            addr = s.address();
        }
        addr += Integer.toUnsignedLong(offset);
        if (addr == 0) {
            return -EINVAL;
        }
        Symbol s = text.lookup(addr);
        if (s == null) {
            return -ENOENT;
        }
        return addr;
    }

    /** @param p a probe @return its point if p is registered (itself or as a child), else null */
    private ProbePoint getValid(Kprobe p) {
        ProbePoint pp = table.get(p.addr);
        return pp != null && pp.holds(p) ? pp : null;
    }

    /**
     * {@code register_kprobe}.
     *
     * @param p the probe
     * @return 0 or a negative errno
     */
    public int register_kprobe(Kprobe p) {
        if (!configKprobes) {
            return -ENOSYS;
        }
        if (p == null) {
            return -EINVAL;
        }
        long addr = kprobeAddr(p.addr, p.symbol_name, p.offset);
        if (addr < 0 && addr > -4096) {
            return (int) addr;
        }
        p.addr = addr;

        Rcu.lockSleeping(kprobeMutex);
        try {
            if (getValid(p) != null) {
                if (!reregWarned && profile != dev.ksim.kernel.KernelProfile.V4_14) {
                    reregWarned = true;
                    host.warn("kernel/kprobes.c", 1597, "register_kprobe");
                }
                return -EINVAL;
            }
        } finally {
            kprobeMutex.unlock();
        }

        p.flags &= KPROBE_FLAG_DISABLED;
        Symbol sym = text.lookup(addr);
        boolean onFuncEntry = sym.address() == addr;
        if (onFuncEntry) {
            p.flags |= KPROBE_FLAG_ON_FUNC_ENTRY;
        }
        p.nmissed = 0;
        misses.remove(p);

        int ret = checkAddressSafe(addr);
        if (ret != 0) {
            return ret;
        }

        Rcu.lockSleeping(kprobeMutex);
        try {
            ProbePoint old = table.get(addr);
            if (old != null) {
                return registerAggr(old, p);
            }
            KFunction fn = text.functionAt(addr);
            int idx = fn.insnIndexAt(addr);
            ProbePoint pp = new ProbePoint(addr, fn, idx, p, stats(p));
            ret = prepare(pp, p);
            if (ret != 0) {
                return ret;
            }
            table.add(pp);
            if (!allDisarmed && !disabled(p)) {
                arm(pp);
            }
            return 0;
        } finally {
            kprobeMutex.unlock();
        }
    }

    /** {@code check_kprobe_address_safe}. */
    private int checkAddressSafe(long addr) {
        ModuleText probedMod = null;
        if (!text.isCoreText(addr)) {
            probedMod = text.moduleAt(addr);
            if (probedMod == null) {
                return -EINVAL;
            }
        }
        Symbol sym = text.lookup(addr);
        if (sym == null || !sym.isText() || blacklist.contains(addr) || isCfiPreamble(sym)) {
            return -EINVAL;
        }
        KFunction fn = text.functionAt(addr);
        if (fn == null) {
            return -EINVAL;
        }
        int idx = fn.insnIndexAt(addr);
        if (idx >= 0 && (fn.insn(idx).kind() == InsnKind.BUG
                || (fn.def.has(FnAttr.JUMP_LABEL) && fn.insn(idx).kind() == InsnKind.NOP))) {
            return -EINVAL;
        }
        if (probedMod != null) {
            ModuleText.State st = probedMod.state();
            if (st == ModuleText.State.GOING || st == ModuleText.State.GONE) {
                return -ENOENT;
            }
            if (fn.def.has(FnAttr.INIT_TEXT) && st != ModuleText.State.COMING) {
                return -ENOENT;
            }
        }
        return 0;
    }

    private static boolean isCfiPreamble(Symbol s) {
        return s.name().startsWith("__cfi_") || s.name().startsWith("__pfx_");
    }

    /** {@code prepare_kprobe} → {@code arch_prepare_kprobe}. Caller holds kprobeMutex. */
    private int prepare(ProbePoint pp, Kprobe p) {
        KFunction fn = pp.fn;
        if (arch == Arch.X86_64) {
            if (fn.def.has(FnAttr.ALTERNATIVE) && pp.insnIndex >= 0 && fn.insn(pp.insnIndex).mnemonic().equals("clac")) {
                return -EINVAL;
            }
            if (pp.insnIndex < 0) {
                return -EILSEQ;
            }
            TextSegment seg = fn.segment;
            pp.opcode = seg.readByte(pp.addr);
            byte[] copy = seg.read(pp.addr, pp.insn.length());
            long slot = slots.allocate(copy);
            if (slot == 0) {
                return -ENOMEM;
            }
            if (pp.insn.kind() == InsnKind.UNSUPPORTED) {
                slots.free(slot);
                p.opcode = pp.opcode;
                return -EOPNOTSUPP;
            }
            pp.slot = slot;
        } else {
            if ((pp.addr & 3) != 0 || pp.insnIndex < 0) {
                return -EINVAL;
            }
            pp.opcode = fn.segment.readWord(pp.addr);
            p.opcode = pp.opcode;
            if (fn.def.has(FnAttr.EXTABLE) && pp.insn.mnemonic().startsWith("ldtr")) {
                return -EINVAL;
            }
            InsnKind k = pp.insn.kind();
            if (k == InsnKind.REJECTED || k == InsnKind.BUG) {
                return -EINVAL;
            }
            if (!simulatedOnArm64(k)) {
                long slot = slots.allocate(fn.segment.read(pp.addr, 4));
                if (slot == 0) {
                    return -ENOMEM;
                }
                pp.slot = slot;
            }
        }
        p.opcode = pp.opcode;
        return 0;
    }

    private static boolean simulatedOnArm64(InsnKind k) {
        return k == InsnKind.CALL || k == InsnKind.RET || k == InsnKind.JMP || k == InsnKind.JCC;
    }

    /** {@code register_aggr_kprobe}. Caller holds kprobeMutex. */
    private int registerAggr(ProbePoint old, Kprobe p) {
        ProbePoint ap = old;
        if (!old.isAggregator()) {
            Kprobe agg = new Kprobe();
            agg.addr = old.addr;
            agg.flags = old.kp.flags & ~Kprobe.KPROBE_FLAG_OPTIMIZED;
            agg.opcode = old.opcode;
            ap = new ProbePoint(old.addr, old.fn, old.insnIndex, agg, null);
            ap.opcode = old.opcode;
            ap.slot = old.slot;
            ap.armed = old.armed;
            setChildren(ap, new Kprobe[] {old.kp});
            ProbePoint aggPoint = ap;
            agg.pre_handler = (kp, regs) -> aggrPreHandler(aggPoint, regs);
            if (old.kp.post_handler != null && !gone(old.kp)) {
                agg.post_handler = (kp, regs, flags) -> aggrPostHandler(aggPoint, regs);
            }
            table.replace(old, ap);
        }
        if (gone(ap.kp)) {
            int ret = prepare(ap, ap.kp);
            if (ret != 0) {
                return ret;
            }
            ap.kp.flags = (ap.kp.flags & ~KPROBE_FLAG_GONE) | KPROBE_FLAG_DISABLED;
        }
        p.opcode = ap.opcode;
        if (p.pre_handler instanceof Jprobes.JprobePreHandler) {
            for (Kprobe c : ap.children) {
                if (c.pre_handler instanceof Jprobes.JprobePreHandler) {
                    return -dev.ksim.sdk.Errno.EEXIST;
                }
            }
        }
        if (p.post_handler != null && ap.kp.post_handler == null) {
            ProbePoint aggPoint = ap;
            ap.kp.post_handler = (kp, regs, flags) -> aggrPostHandler(aggPoint, regs);
        }
        Kprobe[] c = ap.children;
        Kprobe[] n = new Kprobe[c.length + 1];
        n[0] = p;
        System.arraycopy(c, 0, n, 1, c.length);
        setChildren(ap, n);
        if (disabled(ap.kp) && !disabled(p)) {
            ap.kp.flags &= ~KPROBE_FLAG_DISABLED;
            if (!allDisarmed) {
                arm(ap);
            }
        }
        return 0;
    }

    /**
     * {@code register_kprobes}: registers in order and, on the first failure, unregisters the ones
     * already registered.
     *
     * @param kps the probes
     * @param num how many
     * @return 0 or the failure's errno
     */
    public int register_kprobes(Kprobe[] kps, int num) {
        if (!configKprobes) {
            return -ENOSYS;
        }
        return registerAll(kps, num, this::register_kprobe, this::unregister_kprobes);
    }

    /** @param p the probe; ignored if not registered */
    public void unregister_kprobe(Kprobe p) {
        unregister_kprobes(new Kprobe[] {p}, 1);
    }

    /**
     * {@code unregister_kprobes}: removes every probe (an unregistered one gets {@code addr = 0},
     * silently), waits one grace period, then frees.
     *
     * @param kps the probes
     * @param num how many
     */
    public void unregister_kprobes(Kprobe[] kps, int num) {
        unregister_kprobes(kps, num, null);
    }

    /**
     * unregister_kprobes with extra work in the top half, under kprobe_mutex (kretprobes detach their
     * instances there).
     */
    void unregister_kprobes(Kprobe[] kps, int num, Runnable alsoUnderMutex) {
        if (kps == null || num <= 0) {
            return;
        }
        num = Math.min(num, kps.length);
        List<Runnable> bottoms = new ArrayList<>(num);
        for (int i = 0; i < num; i++) {
            Kprobe p = kps[i];
            if (p == null) {
                continue;
            }
            Rcu.lockSleeping(kprobeMutex);
            try {
                Runnable bottom = unregisterTop(p);
                if (bottom == null) {
                    p.addr = 0;
                } else {
                    bottoms.add(bottom);
                }
            } finally {
                kprobeMutex.unlock();
            }
        }
        if (alsoUnderMutex != null) {
            withMutex(alsoUnderMutex);
        }
        host.rcu().synchronize();
        forgetOnCpus(kps, num);
        Rcu.lockSleeping(kprobeMutex);
        try {
            bottoms.forEach(Runnable::run);
        } finally {
            kprobeMutex.unlock();
        }
    }

    /** After the grace period: no CPU keeps the unregistered probes as recently current ones. */
    private void forgetOnCpus(Kprobe[] kps, int num) {
        for (Cpu cpu : host.cpus()) {
            for (int i = 0; i < num; i++) {
                if (kps[i] != null) {
                    cpu.forgetKprobe(kps[i]);
                }
            }
        }
    }

    /**
     * {@code __unregister_kprobe_top}. Caller holds kprobeMutex.
     *
     * @return the bottom half to run after the grace period, or null if p was not registered
     */
    private Runnable unregisterTop(Kprobe p) {
        ProbePoint pp = disableKprobe(p);
        if (pp == null) {
            return null;
        }
        if (!pp.isAggregator()) {
            table.remove(pp);
            return () -> freeSlot(pp);
        }
        Kprobe[] c = pp.children;
        if (c.length == 1 && !pp.armed) {
            table.remove(pp);
            return () -> {
                setChildren(pp, new Kprobe[0]);
                freeSlot(pp);
            };
        }
        if (p.post_handler != null && !gone(p)) {
            boolean other = false;
            for (Kprobe k : c) {
                other |= k != p && k.post_handler != null;
            }
            if (!other) {
                pp.kp.post_handler = null;
            }
        }
        Kprobe[] n = new Kprobe[c.length - 1];
        int j = 0;
        for (Kprobe k : c) {
            if (k != p) {
                n[j++] = k;
            }
        }
        setChildren(pp, n);
        return () -> {
        };
    }

    private void freeSlot(ProbePoint pp) {
        if (pp.slot != 0) {
            slots.free(pp.slot);
            pp.slot = 0;
        }
    }

    /**
     * {@code __disable_kprobe}. Caller holds kprobeMutex.
     *
     * @return the probe's point, or null if p is not registered
     */
    private ProbePoint disableKprobe(Kprobe p) {
        ProbePoint pp = getValid(p);
        if (pp == null) {
            return null;
        }
        if (disabled(p)) {
            return pp;
        }
        if (p != pp.kp) {
            p.flags |= KPROBE_FLAG_DISABLED;
        }
        if (p == pp.kp || aggrDisabled(pp)) {
            if (!allDisarmed && !disabled(pp.kp)) {
                disarm(pp);
            }
            pp.kp.flags |= KPROBE_FLAG_DISABLED;
        }
        return pp;
    }

    private static boolean aggrDisabled(ProbePoint pp) {
        for (Kprobe k : pp.children) {
            if (!disabled(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code disable_kprobe}.
     *
     * @param p the probe
     * @return 0, or -EINVAL if it is not registered
     */
    public int disable_kprobe(Kprobe p) {
        if (!configKprobes) {
            return -ENOSYS;
        }
        if (p == null) {
            return -EINVAL;
        }
        Rcu.lockSleeping(kprobeMutex);
        try {
            return disableKprobe(p) == null ? -EINVAL : 0;
        } finally {
            kprobeMutex.unlock();
        }
    }

    /**
     * {@code enable_kprobe}.
     *
     * @param p the probe
     * @return 0, or -EINVAL if it is not registered or gone
     */
    public int enable_kprobe(Kprobe p) {
        if (!configKprobes) {
            return -ENOSYS;
        }
        if (p == null) {
            return -EINVAL;
        }
        Rcu.lockSleeping(kprobeMutex);
        try {
            ProbePoint pp = getValid(p);
            if (pp == null || gone(p)) {
                return -EINVAL;
            }
            if (p != pp.kp) {
                p.flags &= ~KPROBE_FLAG_DISABLED;
            }
            if (!allDisarmed && disabled(pp.kp)) {
                pp.kp.flags &= ~KPROBE_FLAG_DISABLED;
                arm(pp);
            }
            return 0;
        } finally {
            kprobeMutex.unlock();
        }
    }

    // ================================================================= arming

    /** {@code arm_kprobe}: writes the breakpoint. Caller holds kprobeMutex. */
    private void arm(ProbePoint pp) {
        if (pp.armed) {
            return;
        }
        text.textMutex.lock();
        try {
            TextSegment seg = pp.fn.segment;
            if (arch == Arch.X86_64) {
                seg.poke(pp.addr, Arch.INT3_INSN_OPCODE, 1);
            } else {
                seg.poke(pp.addr, Arch.BRK64_OPCODE_KPROBES, 4);
            }
            pp.armed = true;
            pp.fn.setArmed(pp.insnIndex, true);
        } finally {
            text.textMutex.unlock();
        }
    }

    /** {@code disarm_kprobe}: restores the original instruction. Caller holds kprobeMutex. */
    private void disarm(ProbePoint pp) {
        if (!pp.armed) {
            return;
        }
        text.textMutex.lock();
        try {
            if (!gone(pp.kp)) {
                pp.fn.segment.poke(pp.addr, pp.opcode, arch == Arch.X86_64 ? 1 : 4);
            }
            pp.armed = false;
            pp.fn.setArmed(pp.insnIndex, false);
        } finally {
            text.textMutex.unlock();
        }
    }

    /**
     * {@code arm_all_kprobes}: what writing 1 to debugfs {@code kprobes/enabled} does.
     */
    public void armAll() {
        Rcu.lockSleeping(kprobeMutex);
        try {
            if (!allDisarmed) {
                return;
            }
            allDisarmed = false;
            for (ProbePoint pp : table.all()) {
                if (!disabled(pp.kp)) {
                    arm(pp);
                }
            }
            host.printk("\0016" + prefix + "Kprobes globally enabled\n");
        } finally {
            kprobeMutex.unlock();
        }
    }

    /** {@code disarm_all_kprobes}: what writing 0 to debugfs {@code kprobes/enabled} does. */
    public void disarmAll() {
        Rcu.lockSleeping(kprobeMutex);
        try {
            if (allDisarmed) {
                return;
            }
            allDisarmed = true;
            for (ProbePoint pp : table.all()) {
                if (!disabled(pp.kp)) {
                    disarm(pp);
                }
            }
            host.printk("\0016" + prefix + "Kprobes globally disabled\n");
        } finally {
            kprobeMutex.unlock();
        }
    }

    /** @return false while probes are globally disarmed through debugfs */
    public boolean allArmed() {
        return !allDisarmed;
    }

    // ================================================================= module notifier

    /**
     * MODULE_STATE_COMING: the module's NOKPROBE functions join the blacklist.
     *
     * @param mt the module
     */
    public void moduleComing(ModuleText mt) {
        Rcu.lockSleeping(kprobeMutex);
        try {
            blacklist.addModule(mt);
        } finally {
            kprobeMutex.unlock();
        }
        for (java.util.function.Consumer<ModuleText> l : comingListeners) {
            l.accept(mt);
        }
    }

    /** Notified after this engine's own MODULE_STATE_COMING work (as trace_kprobe's notifier, priority 1). */
    private final List<java.util.function.Consumer<ModuleText>> comingListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Adds a MODULE_STATE_COMING notifier that runs after the engine's own.
     *
     * @param listener called with each module coming
     */
    public void addModuleComingListener(java.util.function.Consumer<ModuleText> listener) {
        comingListeners.add(listener);
    }

    /**
     * MODULE_STATE_LIVE: probes in the module's init text die (the text is freed).
     *
     * @param mt the module
     */
    public void moduleLive(ModuleText mt) {
        killProbesIn(mt, true);
    }

    /**
     * MODULE_STATE_GOING: every probe in the module's text becomes GONE; its blacklist entries go.
     *
     * @param mt the module
     */
    public void moduleGoing(ModuleText mt) {
        killProbesIn(mt, false);
        Rcu.lockSleeping(kprobeMutex);
        try {
            blacklist.removeModule(mt);
        } finally {
            kprobeMutex.unlock();
        }
    }

    private void killProbesIn(ModuleText mt, boolean initOnly) {
        Rcu.lockSleeping(kprobeMutex);
        try {
            for (ProbePoint pp : table.all()) {
                if (mt.segment.contains(pp.addr) && (!initOnly || pp.fn.def.has(FnAttr.INIT_TEXT)) && !gone(pp.kp)) {
                    killKprobe(pp);
                }
            }
        } finally {
            kprobeMutex.unlock();
        }
    }

    /** {@code kill_kprobe}. Caller holds kprobeMutex. */
    private void killKprobe(ProbePoint pp) {
        if (pp.armed) {
            pp.armed = false;
            text.textMutex.lock();
            try {
                pp.fn.setArmed(pp.insnIndex, false);
            } finally {
                text.textMutex.unlock();
            }
        }
        pp.kp.flags |= KPROBE_FLAG_GONE;
        if (pp.isAggregator()) {
            for (Kprobe k : pp.children) {
                k.flags |= KPROBE_FLAG_GONE;
            }
            pp.kp.post_handler = null;
        }
        freeSlot(pp);
    }

    // ================================================================= breakpoint handling

    @Override
    public int breakpoint(Cpu cpu, KFunction f, int i, int d, long addr) {
        ProbePoint pp = table.get(f, i, addr);
        KprobePreHandler pre = pp == null ? null : pp.kp.pre_handler;
        // A kretprobe's instance is taken before the trap writes its state: taking it is a compare-and-set,
        // whose full fence waits for every store still buffered and holds back every later load (so what the
        // trap reads anyway is read before it). Nothing can tell when in the trap pre_handler_kretprobe took
        // it; a reentered probe takes none.
        InstancePool pool = pp == null ? null : pp.kretPool;
        RetInstance ri = pool != null && !cpu.kprobeRunning() ? pool.pop(cpu.id) : null;
        PtRegs regs = cpu.enterBreakpoint(addr, i, d);
        try {
            return hit(cpu, f, i, d, regs, pp, pre, ri);
        } catch (RuntimeException | Error e) {
            return handlerFailed(cpu, regs, e);
        } finally {
            cpu.exitBreakpoint();
        }
    }

    /**
     * {@code kprobe_int3_handler} / {@code kprobe_breakpoint_handler} proper, in the trap's context.
     *
     * @param d the trapped frame
     * @param pp the probe at the address, or null if it was removed meanwhile
     * @param pre its pre_handler, as read with pp
     * @param ri the instance taken for a kretprobe's entry (null for other probes, or if none was free);
     *     given back unless pre is still that kretprobe's entry handler
     */
    private int hit(Cpu cpu, KFunction f, int i, int d, PtRegs regs, ProbePoint pp, KprobePreHandler pre,
            RetInstance ri) {
        if (pp == null) {
            // The probe was removed after this CPU read the breakpoint: run the original instruction.
            return CONTINUE;
        }
        if (cpu.kprobeRunning()) {
            reenter(cpu, pp, regs);
            return CONTINUE;
        }
        Kprobe p = pp.kp;
        cpu.setCurrentKprobe(p);
        cpu.kprobeStatus = KPROBE_HIT_ACTIVE;
        long[] hits = pp.hits;
        if (hits != null) {
            PerCpuCounter.inc(hits, cpu.id);
        }
        if (ri != null && !(pre instanceof Kretprobes.Entry e && e.pool() == ri.holder.pool)) {
            ri = retake(cpu, pre, ri);
        }
        if (pre == null || (pre instanceof Kretprobes.Entry e ? e.enter(cpu, regs, ri, d) : pre.handle(p, regs)) == 0) {
            long next = singleStep(cpu, pp, regs, false);
            // kprobe_post_process: current_kprobe is p again here (a reentered probe restored it).
            KprobePostHandler post = p.post_handler;
            if (post == null) {
                cpu.setCurrentKprobe(null);
                return CONTINUE;
            }
            cpu.kprobeStatus = KPROBE_HIT_SSDONE;
            post.handle(p, regs, 0);
            cpu.setCurrentKprobe(null);
            return regs.instructionPointer() == next ? CONTINUE : outcome(cpu, f, i, regs, next);
        }
        cpu.setCurrentKprobe(null);
        return outcome(cpu, f, i, regs, Long.MIN_VALUE);
    }

    /**
     * The kretprobe's kprobe got another pre_handler since registration: the instance taken from its pool
     * goes back, and another kretprobe's entry handler takes one from its own pool.
     *
     * @return the instance for pre, or null
     */
    private static RetInstance retake(Cpu cpu, KprobePreHandler pre, RetInstance ri) {
        ri.holder.pool.push(ri);
        return pre instanceof Kretprobes.Entry other ? other.pool().pop(cpu.id) : null;
    }

    /** A handler (or the step) threw: control transfers pass through, faults go to fault_handler or oops. */
    private int handlerFailed(Cpu cpu, PtRegs regs, Throwable e) {
        if (e instanceof TaskKilled || e instanceof Cpu.SoftLockup || e instanceof KernelPanic) {
            resetKprobeState(cpu);
            throw (RuntimeException) e;
        }
        if (e instanceof Unwind u) {
            throw u;
        }
        if (faultHandled(cpu, regs, e)) {
            cpu.setCurrentKprobe(null);
            cpu.kprobeInstance = null;
            return CONTINUE;
        }
        resetKprobeState(cpu);
        throw host.oops(cpu, e, regs.instructionPointer());
    }

    /**
     * {@code kprobe_fault_handler} of kernels before 5.14: a fault while a handler runs counts as a miss
     * and goes to the probe's fault_handler (for several probes at an address, to the one whose handler
     * was running); returning non-zero means it was handled and the probe goes on.
     */
    private boolean faultHandled(Cpu cpu, PtRegs regs, Throwable fault) {
        int status = cpu.kprobeStatus;
        Kprobe cur = cpu.kprobeInstance != null ? cpu.kprobeInstance : cpu.currentKprobe();
        if (!profile.faultHandler() || cur == null || (status != KPROBE_HIT_ACTIVE && status != KPROBE_HIT_SSDONE)) {
            return false;
        }
        NMISSED.getAndAdd(cur, 1L);
        dev.ksim.sdk.KprobeFaultHandler fh = cur.fault_handler;
        int trapnr = fault instanceof ArithmeticException ? 0
                : fault instanceof NullPointerException || fault instanceof dev.ksim.kernel.mm.PageFault ? 14 : 13;
        return fh != null && fh.handle(cur, regs, trapnr) != 0;
    }

    /**
     * After an oops inside a handler a real CPU keeps its {@code current_kprobe} set and misses every
     * later probe; ksim resets it so the kernel stays usable.
     */
    private static void resetKprobeState(Cpu cpu) {
        cpu.setCurrentKprobe(null);
        cpu.prevKprobe = null;
        cpu.kprobeStatus = 0;
        cpu.kprobeInstance = null;
    }

    /** {@code aggr_pre_handler}: each enabled child, newest first; a non-zero return stops the rest. */
    private int aggrPreHandler(ProbePoint pp, PtRegs regs) {
        Cpu cpu = Cpu.current();
        Kprobe[] children = pp.children;
        ProbePoint.ChildStats cs = pp.childStats;
        for (int i = 0; i < children.length; i++) {
            Kprobe kp = children[i];
            MissStats st = cs != null && cs.probes() == children ? cs.stats()[i] : stats(kp);
            if (disabled(kp)) {
                st.disabled.increment();
                continue;
            }
            st.hits.inc(cpu.id);
            if (kp.pre_handler != null) {
                cpu.kprobeInstance = kp;
                if (kp.pre_handler.handle(kp, regs) != 0) {
                    cpu.kprobeInstance = null;
                    return 1;
                }
            }
            cpu.kprobeInstance = null;
        }
        return 0;
    }

    /** Publishes an aggregator's children, then their statistics; under kprobe_mutex. */
    private void setChildren(ProbePoint pp, Kprobe[] children) {
        MissStats[] st = new MissStats[children.length];
        for (int i = 0; i < children.length; i++) {
            st[i] = stats(children[i]);
        }
        pp.children = children;
        pp.childStats = new ProbePoint.ChildStats(children, st);
    }

    /** {@code aggr_post_handler}: each enabled child's post_handler, in list order. */
    private void aggrPostHandler(ProbePoint pp, PtRegs regs) {
        Cpu cpu = Cpu.current();
        for (Kprobe kp : pp.children) {
            KprobePostHandler post = kp.post_handler;
            if (post != null && !disabled(kp)) {
                cpu.kprobeInstance = kp;
                post.handle(kp, regs, 0);
            }
            cpu.kprobeInstance = null;
        }
    }

    /**
     * {@code reenter_kprobe}: a probe hit while a handler runs on this CPU. Its handlers are skipped and
     * the miss is counted; the instruction is stepped. A probe hit while stepping a reentered probe
     * (x86), or while stepping at all (arm64), is unrecoverable.
     */
    private void reenter(Cpu cpu, ProbePoint pp, PtRegs regs) {
        int status = cpu.kprobeStatus;
        boolean recoverable = status == KPROBE_HIT_ACTIVE || status == KPROBE_HIT_SSDONE
                || (status == KPROBE_HIT_SS && arch == Arch.X86_64);
        if (!recoverable) {
            if (profile == dev.ksim.kernel.KernelProfile.V4_14) {
                host.printk("\0014Unrecoverable kprobe detected at %p.\n", pp.addr);
            } else if (arch == Arch.X86_64) {
                host.printk("\0013Unrecoverable kprobe detected.\n");
            } else if (profile == dev.ksim.kernel.KernelProfile.V5_10) {
                host.printk("\0014Unrecoverable kprobe detected.\n");
            } else {
                host.printk("\0014kprobes: Failed to recover from reentered kprobes.\n");
            }
            dumpKprobe(pp.kp);
            throw host.bug(arch == Arch.X86_64 ? "arch/x86/kernel/kprobes/core.c" : "arch/arm64/kernel/probes/kprobes.c",
                    arch == Arch.X86_64 ? 793 : 232);
        }
        incNmissed(pp);
        singleStep(cpu, pp, regs, true);
    }

    /** {@code dump_kprobe}. @param kp the probe */
    private void dumpKprobe(Kprobe kp) {
        switch (profile) {
            case V4_14 -> host.printk("\0014Dumping kprobe:\nName: %s\nAddress: %p\nOffset: %x\n", kp.symbol_name,
                    kp.addr, kp.offset);
            case V5_10 -> host.printk("\0013Dumping kprobe:\nName: %s\nOffset: %x\nAddress: %pS\n", kp.symbol_name,
                    kp.offset, kp.addr);
            default -> host.printk("\0013kprobes: Dump kprobe:\n.symbol_name = %s, .offset = %x, .addr = %pS\n",
                    kp.symbol_name, kp.offset, kp.addr);
        }
    }

    /** {@code kprobes_inc_nmissed_count}: a miss counts on the probe, or on every child of an aggregator. */
    private void incNmissed(ProbePoint pp) {
        Kprobe[] c = pp.children;
        if (c == null) {
            NMISSED.getAndAdd(pp.kp, 1L);
            stats(pp.kp).recursion.increment();
        } else {
            for (Kprobe k : c) {
                NMISSED.getAndAdd(k, 1L);
                stats(k).recursion.increment();
            }
        }
    }

    /**
     * {@code setup_singlestep} and the step's completion: emulates or steps the original instruction
     * (IRQs masked in the saved flags meanwhile); a reentered probe's previous state is restored after it.
     * The post_handler ({@code kprobe_post_process}) is the caller's.
     *
     * @return the address execution continues at after the step
     */
    private long singleStep(Cpu cpu, ProbePoint pp, PtRegs regs, boolean reenter) {
        if (reenter) {
            saveReentered(cpu, pp);
        }
        long next = pp.fallsThrough ? pp.nextAddr : branchTarget(cpu, pp, regs);
        if (StepInterrupts.any()) {
            stepObserved(cpu, pp, regs, reenter);
        }
        if (regs instanceof X86PtRegs x) {
            x.ip = next;
        } else {
            Arm64PtRegs a = (Arm64PtRegs) regs;
            a.pc = next;
            if (pp.isCall) {
                a.regs[30] = pp.addr + 4;
            }
        }
        if (reenter) {
            restoreReentered(cpu);
        }
        return next;
    }

    /** {@code save_previous_kprobe} and {@code set_current_kprobe} of a reentered probe. */
    private static void saveReentered(Cpu cpu, ProbePoint pp) {
        cpu.prevKprobe = cpu.currentKprobe();
        cpu.prevKprobeStatus = cpu.kprobeStatus;
        cpu.setCurrentKprobe(pp.kp);
        cpu.kprobeStatus = KPROBE_REENTER;
    }

    /** {@code restore_previous_kprobe}. */
    private static void restoreReentered(Cpu cpu) {
        cpu.setCurrentKprobe(cpu.prevKprobe);
        cpu.kprobeStatus = cpu.prevKprobeStatus;
        cpu.prevKprobe = null;
    }

    /**
     * The step as an interrupt arriving during it sees it (the NMI hook tests install): status
     * {@code KPROBE_HIT_SS} (a reentered probe keeps {@code KPROBE_REENTER}), and ip in the instruction's
     * slot with IF clear (x86) or pc there with DAIF masked (arm64); an emulated instruction is not moved to
     * a slot. Nothing else can observe this state, so a step without such a hook writes none of it.
     */
    private void stepObserved(Cpu cpu, ProbePoint pp, PtRegs regs, boolean reenter) {
        if (!reenter) {
            cpu.kprobeStatus = KPROBE_HIT_SS;
        }
        if (regs instanceof X86PtRegs x) {
            long savedIf = x.flags & X86PtRegs.X86_EFLAGS_IF;
            if (pp.fallsThrough) {
                x.flags &= ~X86PtRegs.X86_EFLAGS_IF;
                x.ip = pp.slot;
            }
            stepInterrupt(cpu, pp);
            x.flags |= savedIf;
        } else {
            Arm64PtRegs a = (Arm64PtRegs) regs;
            long savedDaif = a.pstate & Arm64PtRegs.DAIF_MASK;
            if (pp.slot != 0) {
                a.pstate |= Arm64PtRegs.DAIF_MASK;
                a.pc = pp.slot;
            }
            stepInterrupt(cpu, pp);
            a.pstate = (a.pstate & ~Arm64PtRegs.DAIF_MASK) | savedDaif;
        }
    }

    private void stepInterrupt(Cpu cpu, ProbePoint pp) {
        BiConsumer<Cpu, Kprobe> nmi = singleStepInterrupt;
        if (nmi != null) {
            nmi.accept(cpu, pp.kp);
        }
    }

    /** Where a stepped branch instruction (one that does not fall through) leaves ip. */
    private long branchTarget(Cpu cpu, ProbePoint pp, PtRegs regs) {
        Insn insn = pp.insn;
        switch (insn.kind()) {
            case CALL -> {
                KFunction target = null;
                for (int k = 0; k < pp.fn.callCount(); k++) {
                    if (pp.fn.callInsnIndex(k) == pp.insnIndex) {
                        target = pp.fn.callTarget(k);
                    }
                }
                if (target != null) {
                    if (arch == Arch.X86_64) {
                        regs.setStackPointer(regs.stackPointer() - 8);
                    }
                    return target.address();
                }
                return pp.addr + insn.length();
            }
            case RET -> {
                int d = cpu.stack().depth() - 2;
                if (d >= 0) {
                    if (arch == Arch.X86_64) {
                        regs.setStackPointer(regs.stackPointer() + 8);
                    }
                    return cpu.stack().returnAddress(d);
                }
                return pp.addr + insn.length();
            }
            default -> {
                return pp.addr + insn.length();
            }
        }
    }

    /**
     * Turns the registers a handler left into what the CPU does next: continue after the stepped
     * instruction, jump within the function, return, or run another function in its place.
     *
     * @param expected where execution continues if no handler moved ip; MIN_VALUE when the pre_handler
     *     returned non-zero (execution resumes wherever ip now points)
     */
    private int outcome(Cpu cpu, KFunction f, int i, PtRegs regs, long expected) {
        long ip = regs.instructionPointer();
        if (ip == expected) {
            return CONTINUE;
        }
        KFunction g = text.functionAt(ip);
        if (g != null) {
            int j = g.insnIndexAt(ip);
            if (j >= 0 && g.insn(j).kind() == InsnKind.RET) {
                return RETURN;
            }
            if (g == f && j >= 0 && j <= f.lastInsn()) {
                cpu.setResumeIndex(j);
                return SKIP_TO;
            }
            if (j == 0) {
                cpu.setResumeFunction(g);
                return TAILCALL;
            }
        }
        throw host.oops(cpu, new IllegalStateException("invalid opcode"), ip);
    }

    /** Tells a CPU which functions its breakpoint and trampoline contexts appear as. @param cpu the CPU */
    public void describeContexts(Cpu cpu) {
        cpu.contextFunctions(handlerFrame, kretprobes.trampoline, kretprobes.trampolineHandler());
    }

    @Override
    public long trampoline(Cpu cpu, int depth) {
        return kretprobes.trampoline(cpu, depth);
    }

    @Override
    public long trampolineAddress() {
        return kretprobes.trampolineAddr;
    }

    @Override
    public long realReturnAddress(dev.ksim.kernel.cpu.Task task, long frameId) {
        return kretprobes.findRetAddr(task, frameId);
    }

    // ================================================================= introspection

    /**
     * {@code kprobe_running()} on the calling thread's CPU.
     *
     * @return the probe whose handler runs there, or null
     */
    public Kprobe kprobe_running() {
        Cpu cpu = Cpu.current();
        return cpu == null ? null : cpu.currentKprobe();
    }

    /**
     * Installs a simulated NMI that runs while a probed instruction is single-stepped on any CPU
     * (null removes it). A probe it hits exercises the kernel's reentry rules.
     *
     * @param nmi called with the CPU and the probe being stepped
     */
    public synchronized void setSingleStepInterrupt(BiConsumer<Cpu, Kprobe> nmi) {
        boolean before = singleStepInterrupt != null;
        this.singleStepInterrupt = nmi;
        StepInterrupts.changed(before, nmi != null);
    }

    /** @return debugfs {@code kprobes/list} */
    public String debugfsList() {
        StringBuilder b = new StringBuilder();
        Rcu.lockSleeping(kprobeMutex);
        try {
            for (ProbePoint pp : table.all()) {
                Symbol s = text.lookup(pp.addr);
                for (Kprobe k : pp.probes()) {
                    reportProbe(b, k, s, pp);
                }
            }
        } finally {
            kprobeMutex.unlock();
        }
        return b.toString();
    }

    private void reportProbe(StringBuilder b, Kprobe p, Symbol s, ProbePoint pp) {
        String type = p.pre_handler != null && isKretprobeHandler(p.pre_handler) ? "r"
                : p.pre_handler instanceof Jprobes.JprobePreHandler ? "j" : "k";
        b.append(String.format("%016x  %s  ", p.addr, type));
        if (s != null) {
            b.append(s.name()).append("+0x").append(Long.toHexString(p.addr - s.address())).append("  ")
                    .append(s.module() != null ? s.module() : " ").append(' ');
        } else {
            b.append(String.format("0x%x ", p.addr));
        }
        if (gone(p)) {
            b.append("[GONE]");
        }
        if (disabled(p) && !gone(p)) {
            b.append("[DISABLED]");
        }
        b.append('\n');
    }

    /** Marker for the kretprobe pre_handler, so the list shows kretprobes as {@code r}. */
    public interface KretprobePreHandler extends KprobePreHandler {
    }

    private static boolean isKretprobeHandler(KprobePreHandler h) {
        return h instanceof KretprobePreHandler;
    }

    /**
     * ksim's own debugfs file {@code /sys/kernel/debug/ksim/kprobe_misses}: every registered probe's
     * misses by cause.
     *
     * @return its contents
     */
    public String debugfsMisses() {
        StringBuilder b = new StringBuilder(String.format("%-40s %-4s %10s %10s %12s %10s%n", "# probe", "type",
                "nmissed", "recursion", "no_instance", "disabled"));
        Rcu.lockSleeping(kprobeMutex);
        try {
            for (ProbePoint pp : table.all()) {
                Symbol s = text.lookup(pp.addr);
                for (Kprobe k : pp.probes()) {
                    MissStats st = stats(k);
                    boolean ret = k.pre_handler instanceof KretprobePreHandler;
                    String where = s == null ? String.format("0x%x", k.addr)
                            : s.name() + "+0x" + Long.toHexString(k.addr - s.address());
                    long nmissed = k.nmissed + kretprobes.nmissedOf(k);
                    b.append(String.format("%-40s %-4s %10d %10d %12d %10d%n", where, ret ? "r" : "k", nmissed,
                            st.recursion(), st.noInstance(), st.disabled()));
                }
            }
        } finally {
            kprobeMutex.unlock();
        }
        return b.toString().replace(System.lineSeparator(), "\n");
    }

    /** @return debugfs {@code kprobes/blacklist} */
    public String debugfsBlacklist() {
        StringBuilder b = new StringBuilder();
        for (Blacklist.Entry e : blacklist.entries()) {
            b.append(String.format("0x%016x-0x%016x\t%s%s%n", e.start(), e.end(), e.symbol().name(),
                    e.symbol().module() != null ? " [" + e.symbol().module() + "]" : ""));
        }
        return b.toString().replace(System.lineSeparator(), "\n");
    }

    /** @return the addresses of instruction-slot pages (kallsyms lists them) */
    public List<Long> insnPages() {
        Rcu.lockSleeping(kprobeMutex);
        try {
            return slots.pageAddresses();
        } finally {
            kprobeMutex.unlock();
        }
    }

    /**
     * @param addr an address
     * @return whether it is blacklisted
     */
    public boolean isBlacklisted(long addr) {
        return blacklist.contains(addr);
    }

    private static boolean disabled(Kprobe p) {
        return (p.flags & (KPROBE_FLAG_DISABLED | KPROBE_FLAG_GONE)) != 0;
    }

    private static boolean gone(Kprobe p) {
        return (p.flags & KPROBE_FLAG_GONE) != 0;
    }
}
