package dev.ksim.kernel.kprobes;

import static dev.ksim.kernel.kprobes.KprobeStatus.KPROBE_HIT_ACTIVE;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.KernelStack;
import dev.ksim.kernel.cpu.Task;
import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.kernel.text.KernelText;
import dev.ksim.kernel.text.Symbol;
import dev.ksim.sdk.Arm64PtRegs;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.PtRegs;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * kretprobes ({@code kernel/kprobes.c} with the 5.11+ per-task instance lists and an objpool): a kprobe
 * on the function's entry takes a preallocated instance and hijacks the call's return slot with the
 * trampoline; when the function returns into the trampoline its handlers run, newest instance first.
 */
final class Kretprobes {
    private static final VarHandle NMISSED;

    static {
        try {
            NMISSED = MethodHandles.publicLookup().findVarHandle(Kretprobe.class, "nmissed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@code struct kretprobe_holder}: what instances point to; rp is cleared when unregistered. */
    static final class Holder {
        /** The kretprobe, or null once unregistered (in-flight returns then skip the handler). */
        volatile Kretprobe rp;
        final InstancePool pool;

        Holder(Kretprobe rp, int maxactive, int dataSize, int cpus) {
            this.rp = rp;
            this.pool = new InstancePool(this, maxactive, dataSize, cpus);
        }
    }

    private final KprobeEngine engine;
    private final KprobeHost host;
    private final KernelText text;
    private final Arch arch;
    private final int cpus;
    /** The trampoline function and its address ({@code __kretprobe_trampoline}). */
    final KFunction trampoline;
    final long trampolineAddr;
    private final KFunction trampolineHandler;
    /** Functions kretprobes refuse ({@code kretprobe_blacklist}: x86's __switch_to). */
    private final long[] blacklist;
    /** Registered kretprobes' holders; guarded by kprobe_mutex. */
    private final Map<Kretprobe, Holder> holders = new IdentityHashMap<>();
    /** How much memory one kretprobe's instances may take before registration fails with -ENOMEM. */
    private static final long MAX_INSTANCE_BYTES = 64L << 20;
    /** The default maxactive when a kretprobe asks for none. */
    private final int defaultMaxactive;

    Kretprobes(KprobeEngine engine, KprobeHost host, int defaultMaxactive, int nrCpus) {
        this.engine = engine;
        this.host = host;
        this.text = host.text();
        this.arch = text.arch();
        this.cpus = nrCpus;
        this.trampoline = text.coreFunction(host.profile().symbol(arch, "__kretprobe_trampoline"));
        this.trampolineAddr = trampoline.address();
        this.trampolineHandler = text.coreFunction("kretprobe_trampoline_handler");
        Symbol switchTo = text.lookupName("__switch_to");
        this.blacklist = arch == Arch.X86_64 && switchTo != null ? new long[] {switchTo.address()} : new long[0];
        this.defaultMaxactive = defaultMaxactive;
    }

    // ================================================================ registration

    /** {@code register_kretprobe}. Caller does not hold kprobe_mutex. */
    int register(Kretprobe rp) {
        if (rp == null) {
            return -Errno.EINVAL;
        }
        Kprobe kp = rp.kp;
        long addr = engine.canonicalAddress(kp.addr, kp.symbol_name, kp.offset);
        if (addr < 0 && addr > -4096) {
            return (int) addr;
        }
        Symbol s = text.lookup(addr);
        if (s.address() != addr) {
            return -Errno.EINVAL;
        }
        if (kp.addr != 0 && engine.isRegistered(kp)) {
            return -Errno.EINVAL;
        }
        for (long b : blacklist) {
            if (b == addr) {
                return -Errno.EINVAL;
            }
        }
        if (Integer.toUnsignedLong(rp.data_size) > Kretprobe.KRETPROBE_MAX_DATA_SIZE) {
            return -Errno.E2BIG;
        }
        if (rp.maxactive <= 0) {
            rp.maxactive = defaultMaxactive;
        }
        long bytes = (long) rp.maxactive * (64 + rp.data_size);
        if (bytes > MAX_INSTANCE_BYTES) {
            return -Errno.ENOMEM; // the preallocation would not fit in the simulated kernel's memory
        }
        Holder h = new Holder(rp, rp.maxactive, rp.data_size, cpus);
        kp.pre_handler = new Entry(h);
        kp.post_handler = null;
        rp.nmissed = 0;
        int ret = engine.register_kprobe(kp);
        if (ret == 0) {
            engine.withMutex(() -> holders.put(rp, h));
        } else {
            h.rp = null;
        }
        return ret;
    }

    /** {@code unregister_kretprobes}: like kprobes, and detaches the instances still in flight. */
    void unregister(Kretprobe[] rps, int num) {
        if (rps == null || num <= 0) {
            return;
        }
        num = Math.min(num, rps.length);
        Kprobe[] kps = new Kprobe[num];
        for (int i = 0; i < num; i++) {
            Kretprobe rp = rps[i];
            kps[i] = rp == null ? null : rp.kp;
        }
        java.util.List<Holder> detached = new java.util.ArrayList<>();
        engine.unregister_kprobes(kps, num, () -> {
            for (Kretprobe rp : rps) {
                Holder h = rp == null ? null : holders.remove(rp);
                if (h != null) {
                    h.rp = null;
                    detached.add(h);
                }
            }
        });
        // After the grace period no entry handler runs for these kretprobes: their instances forget them, so
        // that an instance a task's emptied list still points to keeps no module's kretprobe reachable.
        for (Holder h : detached) {
            h.pool.forgetKretprobe();
        }
    }

    // ================================================================ entry

    /**
     * {@code pre_handler_kretprobe}, the pre_handler of a kretprobe's entry kprobe. The breakpoint handler
     * takes an instance from its {@link #pool()} first, then calls {@link #enter} with it and the CPU that
     * trapped; other callers (an aggregated address runs its children's pre_handlers) go through
     * {@link #handle}, which looks the CPU up and takes the instance itself.
     */
    final class Entry implements KprobeEngine.KretprobePreHandler {
        private final Holder holder;

        Entry(Holder holder) {
            this.holder = holder;
        }

        @Override
        public int handle(Kprobe p, PtRegs regs) {
            Cpu cpu = Cpu.current();
            return entry(holder, cpu, regs, holder.pool.pop(cpu.id), cpu.trapFrame());
        }

        /** @return the pool the breakpoint handler takes this kretprobe's instances from ({@code objpool_pop}) */
        InstancePool pool() {
            return holder.pool;
        }

        /**
         * @param cpu the CPU running the breakpoint handler
         * @param regs the trap frame
         * @param ri what {@link #pool()} gave on this CPU in this trap, or null if none was free; this call
         *     owns it now
         * @param d the trapped frame: the function's, at its entry
         * @return 0
         */
        int enter(Cpu cpu, PtRegs regs, RetInstance ri, int d) {
            return entry(holder, cpu, regs, ri, d);
        }
    }

    /**
     * {@code pre_handler_kretprobe}: runs in the entry kprobe's breakpoint context on cpu, with the instance
     * taken for it (null: none was free, a miss); d is the trapped frame, whose return slot is hijacked.
     * An instance taken while the kretprobe was being unregistered goes straight back.
     */
    private int entry(Holder h, Cpu cpu, PtRegs regs, RetInstance ri, int d) {
        Kretprobe rp = h.rp;
        if (rp == null) {
            if (ri != null) {
                h.pool.push(ri); // unregistered since it was taken
            }
            return 0;
        }
        if (ri == null) {
            NMISSED.getAndAdd(rp, 1);
            engine.stats(rp.kp).noInstance.increment();
            return 0;
        }
        Task task = cpu.task();
        // Reference stores into these long-lived objects cost a G1 card-marking fence each: skip those
        // that would not change anything (an instance usually serves the same kretprobe and task again).
        if (ri.ri.rp != rp) {
            ri.ri.rp = rp;
        }
        dev.ksim.sdk.linux.TaskStruct view = task.view();
        if (ri.ri.task != view) {
            ri.ri.task = view;
        }
        if (rp.entry_handler != null && rp.entry_handler.handle(ri.ri, regs) != 0) {
            h.pool.push(ri);
            return 0;
        }
        KernelStack s = cpu.stack();
        ri.ri.ret_addr = s.returnAddress(d);
        ri.frameId = s.frameId(d);
        s.setReturnAddress(d, trampolineAddr);
        if (regs instanceof Arm64PtRegs a) {
            a.regs[30] = trampolineAddr;
        }
        if (task.kretprobeDepth++ != 0) {
            ri.next = (RetInstance) task.kretprobeInstances;
        }
        if (task.kretprobeInstances != ri) {
            task.kretprobeInstances = ri;
        }
        return 0;
    }

    // ================================================================ return

    /**
     * {@code __kretprobe_trampoline} → {@code kretprobe_trampoline_handler}: frame d returned into the
     * trampoline. Pops the frame, runs the handlers of every instance of the call, recycles the instances,
     * and returns the real return address. The caller must not touch frame d afterwards.
     */
    long trampoline(Cpu cpu, int d) {
        Task task = cpu.task();
        KernelStack s = cpu.stack();
        int depth = task.kretprobeDepth;
        RetInstance first = depth != 0 ? (RetInstance) task.kretprobeInstances : null;
        RetInstance node = first;
        int taken = 1;
        while (node != null && node.ri.ret_addr == trampolineAddr) {
            node = taken++ < depth ? node.next : null;
        }
        if (node == null) {
            throw returnAddressNotFound();
        }
        long correct = node.ri.ret_addr;
        long sp = s.spAtEntry(d) + s.function(d).spDeltaAtReturn() + (arch == Arch.X86_64 ? 8 : 0);
        runHandlers(cpu, s.frameId(d), first, node, correct, sp);
        task.kretprobeDepth = depth - taken;
        if (depth != taken) {
            task.kretprobeInstances = node.next;
        }
        RetInstance ri = first;
        while (ri != null) {
            RetInstance next = ri == node ? null : ri.next;
            recycle(ri);
            ri = next;
        }
        return correct;
    }

    /**
     * {@code kretprobe_trampoline_handler}'s loop, in the trampoline's context with preemption disabled:
     * the handlers of the instances of call fid, newest first, up to node (the one holding the real return
     * address), each with its kretprobe's probe current. The function's frame is popped first.
     * {@code __kretprobe_trampoline_handler} makes {@code kprobe_busy} current around the loop and between
     * handlers, while the rethook handler of current kernels ({@code kretprobe_rethook_handler}) sets
     * {@code &rp->kp} and then NULL; nothing runs outside a handler that could tell the two apart (an
     * interrupt during a trampoline is not simulated), so ksim does the latter. As
     * {@code kprobe_busy_end()} does, it leaves no probe current: a trampoline never runs inside a probe
     * handler (a kretprobed call made from one is a reentered probe, missed, and never hijacked).
     */
    private void runHandlers(Cpu cpu, long fid, RetInstance first, RetInstance node, long correct, long sp) {
        cpu.kprobeStatus = KPROBE_HIT_ACTIVE;
        PtRegs regs = cpu.enterReturnTrap(correct, sp);
        cpu.popFrame(); // the function has returned: its frame is gone, the trampoline runs in its place
        try {
            for (RetInstance ri = first; ri != null; ri = ri.next) {
                if (ri.frameId != fid) {
                    break;
                }
                Kretprobe rp = ri.holder.rp;
                if (rp != null && rp.handler != null) {
                    cpu.setCurrentKprobe(rp.kp);
                    ri.ri.ret_addr = correct;
                    rp.handler.handle(ri.ri, regs);
                }
                if (ri == node) {
                    break;
                }
            }
        } catch (TaskKilled | dev.ksim.kernel.cpu.KernelPanic e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw handlerFailed(cpu, e, correct);
        } finally {
            cpu.exitReturnTrap();
            cpu.setCurrentKprobe(null);
        }
    }

    /** A return handler faulted: the kernel oopses. */
    private RuntimeException handlerFailed(Cpu cpu, Throwable e, long correct) {
        cpu.setCurrentKprobe(null);
        return host.oops(cpu, e, correct);
    }

    /** The trampoline found no instance holding a real return address: the kernel's BUG. */
    private RuntimeException returnAddressNotFound() {
        host.printk("\0013kretprobe: Return address not found, not execute handler. Maybe there is a bug in the "
                + "kernel.\n");
        return host.bug("kernel/kprobes.c", 2092);
    }

    /** Puts a finished instance back in its pool; its task stays set until its next use, as in the kernel. */
    private static void recycle(RetInstance ri) {
        ri.next = null;
        Kretprobe rp = ri.holder.rp;
        if (rp != null) {
            if (ri.ri.rp != rp) {
                ri.ri.rp = rp;
            }
            ri.holder.pool.push(ri);
        }
    }

    /**
     * {@code kretprobe_find_ret_addr}: the real return address of a hijacked frame, for stack traces.
     *
     * @param task the task (current, or not running)
     * @param frameId the frame
     * @return the address, or 0
     */
    long findRetAddr(Task task, long frameId) {
        RetInstance cur = (RetInstance) task.kretprobeInstances;
        for (int n = task.kretprobeDepth; n > 0; n--, cur = cur.next) {
            if (cur.ri.ret_addr != trampolineAddr && cur.frameId == frameId) {
                return cur.ri.ret_addr;
            }
        }
        return 0;
    }

    /**
     * {@code kprobe_flush_task}: a dead task's instances (functions that never returned, such as do_exit)
     * go back to their pools when it is reaped.
     *
     * @param task the task
     */
    void flushTask(Task task) {
        RetInstance ri = (RetInstance) task.kretprobeInstances;
        int n = task.kretprobeDepth;
        task.kretprobeInstances = null;
        task.kretprobeDepth = 0;
        for (; n > 0; n--) {
            RetInstance next = ri.next;
            recycle(ri);
            ri = next;
        }
    }

    /**
     * @param kp a probe
     * @return its kretprobe's nmissed if kp is a registered kretprobe's entry probe, else 0
     */
    long nmissedOf(Kprobe kp) {
        for (Map.Entry<Kretprobe, Holder> e : holders.entrySet()) {
            if (e.getKey().kp == kp) {
                return e.getKey().nmissed;
            }
        }
        return 0;
    }

    /** @return {@code kretprobe_trampoline_handler} */
    KFunction trampolineHandler() {
        return trampolineHandler;
    }

    /** @param rp a kretprobe @return its holder while registered, or null */
    Holder holder(Kretprobe rp) {
        return engine.withMutex(() -> holders.get(rp));
    }
}
