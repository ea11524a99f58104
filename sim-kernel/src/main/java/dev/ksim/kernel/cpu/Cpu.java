package dev.ksim.kernel.cpu;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.kernel.text.ProbeSites;
import dev.ksim.sdk.Arm64PtRegs;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.X86PtRegs;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One simulated CPU: the task it runs, its preempt count and interrupt state, the per-CPU kprobe state
 * ({@code current_kprobe}, {@code kprobe_ctlblk}), and the machinery that executes simulated functions
 * instruction boundary by instruction boundary so breakpoints written into text really trap.
 *
 * <p>A CPU is owned by at most one Java thread at a time ({@link #acquire}); every field not marked
 * otherwise is read and written only by that owner, as per-CPU data is in the kernel.
 */
public final class Cpu {
    /** {@code HARDIRQ_OFFSET}. */
    public static final int HARDIRQ_OFFSET = 1 << 16;
    /** {@code NMI_OFFSET}. */
    public static final int NMI_OFFSET = 1 << 20;
    /** {@code PREEMPT_OFFSET}. */
    public static final int PREEMPT_OFFSET = 1;
    /** x86 RFLAGS of kernel code with interrupts enabled: IF, ZF, PF and the reserved bit. */
    public static final long X86_KERNEL_FLAGS = 0x246;
    /** arm64 PSTATE of kernel code: EL1h, interrupts unmasked, Z set. */
    public static final long ARM64_KERNEL_PSTATE = 0x60000005L;

    private static final ThreadLocal<Cpu> CURRENT = new ThreadLocal<>();
    private static final VarHandle RECENT_KPROBE_1;
    private static final VarHandle RECENT_KPROBE_2;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            RECENT_KPROBE_1 = l.findVarHandle(Cpu.class, "recentKprobe1", Kprobe.class);
            RECENT_KPROBE_2 = l.findVarHandle(Cpu.class, "recentKprobe2", Kprobe.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Whether simulated functions carry probe sites. {@code -Dksim.probeSites=false} builds them without
     * (nothing can be probed): the baseline the disarmed-site benchmark compares against. Constant for
     * the JIT, so the checks vanish entirely when false.
     */
    static final boolean PROBE_SITES = !"false".equals(System.getProperty("ksim.probeSites"));

    /** This CPU's number. */
    public final int id;
    /** The architecture. */
    public final Arch arch;
    private final TrapHandler traps;
    /**
     * {@link TrapHandler#trampolineAddress()}, fixed at boot: every return compares its slot with it, one
     * load from this CPU instead of a chain through the trap handler (0: no trampoline).
     */
    private final long trampolineAddr;

    /** Held by the thread running on this CPU. */
    private final ReentrantLock owner = new ReentrantLock();
    /**
     * Odd while the CPU runs kernel code, even while it is idle or in user mode. Written by the owner
     * (volatile, so a grace-period waiter sees every kernel entry and exit); read by
     * {@code synchronize_rcu}.
     */
    private volatile long rcuSeq;
    /**
     * How many seconds the soft-lockup watchdog found this CPU stuck, or 0: set by the watchdog thread,
     * consumed by the stuck thread at its next {@link #pollSoftLockup()}.
     */
    private volatile int lockedUpFor;

    private Task current;
    private PtRegs regs;
    private X86PtRegs xregs;
    private Arm64PtRegs aregs;
    private KernelStack stack;

    /**
     * The part of {@code preempt_count()} that code changes explicitly ({@code preempt_disable}, interrupt
     * entry, a switch forced while atomic); each exception or trampoline context in progress adds its own
     * on top ({@link #preemptCount()}), so entering and leaving one writes nothing here. Owner only.
     */
    private int preemptBase;
    /** Whether local interrupts are disabled. */
    public boolean irqsDisabled;

    /**
     * {@code current_kprobe}: the probe whose handlers run on this CPU (the aggregator for several), or
     * null. Kept as two recently current probes and which of them is current (0: none): making the same
     * probe current again, hit after hit, stores no reference. A reference stored into this long-lived
     * object would cost a garbage-collector card-marking fence on every hit; two slots keep two probes that
     * alternate on one path (a kprobe in a kretprobed function) free of it as well. Written by the owner; an
     * unregistered probe is cleared from them by {@link #forgetKprobe}.
     */
    private Kprobe recentKprobe1;
    private Kprobe recentKprobe2;
    /**
     * Which recent probe is current and which was made current last, in one word so that making a probe
     * current is one store: bits 0-1 are the current slot (0 none, 1 {@link #recentKprobe1}, 2
     * {@link #recentKprobe2}); bit 2 is set when slot 2 was made current last (a new probe then replaces
     * slot 1), clear when slot 1 was. Owner only.
     */
    private int kprobeSlots;
    private static final int CURRENT_SLOT_MASK = 3;
    private static final int LAST_WAS_SLOT_2 = 4;

    /** @return {@code current_kprobe}: the probe whose handlers run on this CPU, or null */
    public Kprobe currentKprobe() {
        int c = kprobeSlots & CURRENT_SLOT_MASK;
        return c == 0 ? null : c == 1 ? recentKprobe1 : recentKprobe2;
    }

    /** @return {@code kprobe_running()}: whether a probe's handlers run on this CPU */
    public boolean kprobeRunning() {
        return (kprobeSlots & CURRENT_SLOT_MASK) != 0;
    }

    /**
     * Forgets an unregistered probe as a recently current one, so that this CPU does not keep it (and the
     * module that owns it) reachable. Any thread may call it, once a grace period has passed since p was
     * unregistered: p is then current nowhere. Each slot is cleared by a compare-and-set, so a probe the
     * owner makes recent meanwhile stays.
     *
     * @param p the unregistered probe
     */
    public void forgetKprobe(Kprobe p) {
        RECENT_KPROBE_1.compareAndSet(this, p, null);
        RECENT_KPROBE_2.compareAndSet(this, p, null);
    }

    /** @param p the probe whose handlers run on this CPU now, or null ({@code __this_cpu_write(current_kprobe, p)}) */
    public void setCurrentKprobe(Kprobe p) {
        if (p == null) {
            kprobeSlots &= LAST_WAS_SLOT_2;
        } else if (p == recentKprobe1) {
            kprobeSlots = 1;
        } else if (p == recentKprobe2) {
            kprobeSlots = 2 | LAST_WAS_SLOT_2;
        } else if ((kprobeSlots & LAST_WAS_SLOT_2) == 0) {
            recentKprobe2 = p;
            kprobeSlots = 2 | LAST_WAS_SLOT_2;
        } else {
            recentKprobe1 = p;
            kprobeSlots = 1;
        }
    }

    /** {@code kcb->kprobe_status}. */
    public int kprobeStatus;
    /** {@code kcb->prev_kprobe}: the state saved while a reentered probe is single-stepped. */
    public Kprobe prevKprobe;
    /** {@code kcb->prev_kprobe.status}. */
    public int prevKprobeStatus;
    /** {@code kprobe_instance}: the child probe whose handler runs, for an aggregated address. */
    public Kprobe kprobeInstance;

    /**
     * Saved registers of handlers that call kernel code, one per trap nesting level: a handler sees the
     * task's live registers as its pt_regs, and they are saved only when it calls back into the kernel.
     */
    private final PtRegs[] trapFrames;

    private int resumeIndex;
    private KFunction resumeFunction;

    /** The deterministic scheduler, or null when CPUs run truly in parallel. Set once at boot. */
    private volatile DeterministicScheduler sched;
    /** What runs a timer interrupt on this CPU (deterministic mode). */
    private volatile Runnable timerInterrupt;
    private boolean inTimerInterrupt;
    /** The interrupted context's registers while a timer interrupt runs. */
    private final PtRegs irqSavedRegs;

    /**
     * Puts this CPU under a deterministic scheduler.
     *
     * @param sched the scheduler
     * @param timerInterrupt runs the timer interrupt's kernel code on this CPU, in hardirq context
     */
    public void schedule(DeterministicScheduler sched, Runnable timerInterrupt) {
        this.sched = sched;
        this.timerInterrupt = timerInterrupt;
    }

    /**
     * A kernel function boundary: in deterministic mode execution may switch to another CPU here (never
     * with preemption disabled, as in the kernel), and a due timer interrupt is taken.
     */
    private void boundary() {
        DeterministicScheduler s = sched;
        if (s == null || preemptCount() != 0 || irqsDisabled) {
            return;
        }
        if (s.shouldSwitch(id)) {
            blocking(() -> s.awaitTurn(id));
        }
        if (!inTimerInterrupt && s.takeTick() && timerInterrupt != null) {
            inTimerInterrupt = true;
            int savedPreempt = preemptBase;
            preemptBase += HARDIRQ_OFFSET;
            irqsDisabled = true;
            // The interrupt entry saves every register in pt_regs and restores them on return.
            irqSavedRegs.copyFrom(regs);
            try {
                timerInterrupt.run();
            } finally {
                regs.copyFrom(irqSavedRegs);
                irqsDisabled = false;
                preemptBase = savedPreempt;
                inTimerInterrupt = false;
            }
        }
    }

    /**
     * @param id the CPU number
     * @param arch the architecture
     * @param traps what breakpoints call
     */
    public Cpu(int id, Arch arch, TrapHandler traps) {
        this.id = id;
        this.arch = arch;
        this.traps = traps;
        this.trampolineAddr = traps == null ? 0 : traps.trampolineAddress();
        this.irqSavedRegs = arch.newRegs();
        this.trapFrames = new PtRegs[8];
        for (int i = 0; i < trapFrames.length; i++) {
            trapFrames[i] = arch.newRegs();
        }
    }

    /** @return the CPU the calling thread runs on, or {@code null} */
    public static Cpu current() {
        return CURRENT.get();
    }

    // ---------------------------------------------------------------- ownership, context, RCU

    /**
     * Makes the calling thread run this CPU with a task, in kernel mode, until {@link #release}.
     *
     * @param task the task to run
     * @throws IllegalStateException if the thread already runs another CPU
     */
    public void acquire(Task task) {
        Cpu other = CURRENT.get();
        if (other != null && other != this) {
            throw new IllegalStateException("thread already runs CPU " + other.id);
        }
        owner.lock();
        CURRENT.set(this);
        switchTo(task);
        rcuSeq++;
    }

    /** Leaves kernel mode and gives the CPU up. */
    public void release() {
        rcuSeq++;
        if (owner.getHoldCount() == 1) {
            CURRENT.remove();
        }
        owner.unlock();
    }

    /**
     * Runs a blocking operation as a task that sleeps: the CPU counts as quiescent meanwhile.
     *
     * @param op the blocking operation
     */
    public void blocking(Runnable op) {
        rcuSeq++;
        try {
            op.run();
        } finally {
            rcuSeq++;
        }
    }

    /** @return true if the calling thread runs this CPU */
    public boolean isOwnedByCurrentThread() {
        return owner.isHeldByCurrentThread();
    }

    /** @return true while kernel code runs on this CPU (read by grace-period waiters) */
    public boolean inKernel() {
        return (rcuSeq & 1) != 0;
    }

    /** @return the RCU sequence: it changes whenever the CPU enters or leaves kernel mode */
    public long rcuSeq() {
        return rcuSeq;
    }

    /**
     * Context switch: the CPU now runs {@code task}. Reports a quiescent state.
     *
     * @param task the next task
     */
    public void switchTo(Task task) {
        if (task == current) {
            return;
        }
        current = task;
        regs = task.regs;
        xregs = regs instanceof X86PtRegs x ? x : null;
        aregs = regs instanceof Arm64PtRegs a ? a : null;
        stack = task.stack;
        if (xregs != null) {
            xregs.flags = X86_KERNEL_FLAGS;
            xregs.cs = 0x10;
            xregs.ss = 0x18;
        } else {
            aregs.pstate = ARM64_KERNEL_PSTATE;
        }
        if ((rcuSeq & 1) != 0) {
            rcuSeq += 2;
        }
    }

    /**
     * The watchdog found this CPU in the kernel, unscheduled, for too long.
     *
     * @param seconds for how long
     */
    public void reportSoftLockup(int seconds) {
        lockedUpFor = Math.max(1, seconds);
    }

    /**
     * Where a timer interrupt would land in looping code (woven module code calls it at every loop
     * back-edge): if the watchdog marked the calling CPU stuck, unwinds it.
     *
     * @throws SoftLockup if the CPU is stuck
     */
    public static void pollSoftLockup() {
        Cpu c = CURRENT.get();
        if (c != null && c.lockedUpFor != 0) {
            int s = c.lockedUpFor;
            c.lockedUpFor = 0;
            throw new SoftLockup(s);
        }
    }

    /** @return the running task ({@code current}) */
    public Task task() {
        return current;
    }

    /** @return the running task's registers */
    public PtRegs regs() {
        return regs;
    }

    /** @return the running task's kernel stack */
    public KernelStack stack() {
        return stack;
    }

    /** @return whether the CPU is inside an NMI ({@code in_nmi()}) */
    public boolean inNmi() {
        return (preemptCount() & (0xf << 20)) != 0;
    }

    // ---------------------------------------------------------------- registers

    /**
     * Reads the n-th argument register, as a function body does at entry.
     *
     * @param n argument index, 0-based
     * @return its value
     */
    public long arg(int n) {
        if (xregs != null) {
            return switch (n) {
                case 0 -> xregs.di;
                case 1 -> xregs.si;
                case 2 -> xregs.dx;
                case 3 -> xregs.cx;
                case 4 -> xregs.r8;
                case 5 -> xregs.r9;
                default -> 0;
            };
        }
        return n < 8 ? aregs.regs[n] : 0;
    }

    private void setArg(int n, long v) {
        if (xregs != null) {
            switch (n) {
                case 0 -> xregs.di = v;
                case 1 -> xregs.si = v;
                case 2 -> xregs.dx = v;
                case 3 -> xregs.cx = v;
                case 4 -> xregs.r8 = v;
                default -> xregs.r9 = v;
            }
        } else {
            aregs.regs[n] = v;
        }
    }

    /**
     * Sets argument registers without calling: for a body that does another function's work inline
     * (what an older kernel's function did before it was split).
     *
     * @param args the arguments
     */
    public void setArgsForBody(long... args) {
        for (int i = 0; i < args.length && i < 6; i++) {
            setArg(i, args[i]);
        }
    }

    /** @return the return register ({@code ax} / {@code x0}) */
    public long returnValue() {
        return xregs != null ? xregs.ax : aregs.regs[0];
    }

    private void setReturnValue(long v) {
        if (xregs != null) {
            xregs.ax = v;
        } else {
            aregs.regs[0] = v;
        }
    }

    // ---------------------------------------------------------------- calls

    /** @param f the function @return its return value */
    public long call(KFunction f) {
        if (ctxCount > handlerCalls) {
            return callFromHandler(f);
        }
        return invoke(f);
    }

    /** @param f the function @param a0 first argument @return its return value */
    public long call(KFunction f, long a0) {
        if (ctxCount > handlerCalls) {
            return callFromHandler(f, a0);
        }
        setArg(0, a0);
        return invoke(f);
    }

    /** @param f the function @param a0 1st @param a1 2nd argument @return its return value */
    public long call(KFunction f, long a0, long a1) {
        if (ctxCount > handlerCalls) {
            return callFromHandler(f, a0, a1);
        }
        setArg(0, a0);
        setArg(1, a1);
        return invoke(f);
    }

    /** @param f the function @param a0 1st @param a1 2nd @param a2 3rd argument @return its return value */
    public long call(KFunction f, long a0, long a1, long a2) {
        if (ctxCount > handlerCalls) {
            return callFromHandler(f, a0, a1, a2);
        }
        setArg(0, a0);
        setArg(1, a1);
        setArg(2, a2);
        return invoke(f);
    }

    /**
     * @param f the function
     * @param a0 1st @param a1 2nd @param a2 3rd @param a3 4th argument
     * @return its return value
     */
    public long call(KFunction f, long a0, long a1, long a2, long a3) {
        if (ctxCount > handlerCalls) {
            return callFromHandler(f, a0, a1, a2, a3);
        }
        setArg(0, a0);
        setArg(1, a1);
        setArg(2, a2);
        setArg(3, a3);
        return invoke(f);
    }

    /**
     * @param f the function
     * @param a0 1st @param a1 2nd @param a2 3rd @param a3 4th @param a4 5th argument
     * @return its return value
     */
    public long call(KFunction f, long a0, long a1, long a2, long a3, long a4) {
        if (ctxCount > handlerCalls) {
            return callFromHandler(f, a0, a1, a2, a3, a4);
        }
        setArg(0, a0);
        setArg(1, a1);
        setArg(2, a2);
        setArg(3, a3);
        setArg(4, a4);
        return invoke(f);
    }

    /**
     * @param f the function
     * @param a0 1st @param a1 2nd @param a2 3rd @param a3 4th @param a4 5th @param a5 6th argument
     * @return its return value
     */
    public long call(KFunction f, long a0, long a1, long a2, long a3, long a4, long a5) {
        if (ctxCount > handlerCalls) {
            return callFromHandler(f, a0, a1, a2, a3, a4, a5);
        }
        setArg(0, a0);
        setArg(1, a1);
        setArg(2, a2);
        setArg(3, a3);
        setArg(4, a4);
        setArg(5, a5);
        return invoke(f);
    }

    /**
     * @param f the function
     * @param args up to six arguments
     * @return its return value
     */
    public long callArgs(KFunction f, long... args) {
        if (ctxCount > handlerCalls) {
            return callFromHandler(f, args);
        }
        for (int i = 0; i < args.length && i < 6; i++) {
            setArg(i, args[i]);
        }
        return invoke(f);
    }

    /**
     * Runs a function as a call from the current frame: the caller passes its instructions up to the
     * call instruction (any breakpoint there traps), the return address goes into the new frame's slot,
     * the callee passes its prologue, runs its body, passes its epilogue up to {@code ret}, and returns
     * through its (possibly hijacked) return slot.
     */
    private long invoke(KFunction f) {
        if (sched != null) {
            boundary();
        }
        KernelStack s = stack;
        int d = s.depth;
        long ret = 0;
        long sp = s.top();
        if (d > 0) {
            int cd = d - 1;
            KFunction c = s.fn[cd];
            int k = nextCall(s, cd, c, f);
            if (k >= 0) {
                int ci = c.callInsnIndex(k);
                if (PROBE_SITES && ProbeSites.anyArmed() && armedIn(c.armedMask, s.pc[cd], ci)
                        && !passToCall(s, cd, c, k, ci)) {
                    return returnValue(); // a handler moved ip past the call: it never happens
                }
                s.pc[cd] = ci + 1;
                s.nextCall[cd] = k + 1;
                ret = c.callReturnAddress(k);
            } else {
                ret = c.insnAddress(Math.min(s.pc[cd], c.lastInsn()));
            }
            sp = s.spAt(cd, s.pc[cd]) - (arch == Arch.X86_64 ? 8 : 0);
        }
        pushCall(s, d, f, ret, sp);
        try {
            return run(s, d, f);
        } finally {
            s.depth = d;
        }
    }

    // ---------------------------------------------------------------- woven module code

    /**
     * Entry of a module method woven as a probe site: the method's own Java body is the function's body.
     * Does what {@link #call} does before running a body: passes the caller's instructions up to the call,
     * pushes the frame and passes the prologue (where an entry probe traps).
     *
     * @param f the method's function
     * @param args its integral arguments, in ABI order (at most six are passed in registers)
     * @return true if a handler redirected execution: skip the body and return {@link #exitWoven}'s value
     */
    public boolean enterWoven(KFunction f, long... args) {
        KernelStack s = stack;
        int d = s.depth;
        // Module code running as a probe handler (or called by one) leaves the registers alone: they are the
        // handler's pt_regs, which it reads (regs->di) and may change (ip, the return value) while it runs.
        boolean inHandler = ctxCount > handlerCalls;
        boolean fromHandler = inHandler && !(d > 0 && s.inHandler[d - 1]);
        int contexts = 0;
        if (fromHandler) {
            contexts = pushContexts();
            d = s.depth;
        }
        if (d < KernelStack.MAX_DEPTH) {
            s.restoresRegs[d] = fromHandler;
            s.contextsPushed[d] = contexts;
            s.inHandler[d] = inHandler;
        }
        for (int i = 0; !inHandler && i < args.length && i < 6; i++) {
            setArg(i, args[i]);
        }
        long ret = 0;
        long sp = s.top();
        if (d > 0) {
            KFunction c = s.fn[d - 1];
            ret = c.insnAddress(Math.min(s.pc[d - 1], c.lastInsn()));
            sp = s.spAt(d - 1, s.pc[d - 1]) - (arch == Arch.X86_64 ? 8 : 0);
        }
        pushCall(s, d, f, ret, sp);
        long mask;
        if (!PROBE_SITES || !ProbeSites.anyArmed() || !armedIn(mask = f.armedMask, 0, f.bodyStart - 1)) {
            s.pc[d] = f.bodyStart;
            return false;
        }
        int outcome = passPrologue(s, f, d, mask);
        if (outcome == TrapHandler.CONTINUE) {
            return false;
        }
        if (outcome == TrapHandler.TAILCALL) {
            setReturnValue(run(s, d, enterTailcall(s, d, resumeFunction)));
        }
        wovenSkipped = true;
        return true;
    }

    /** Set by {@link #enterWoven} when the body was skipped; the return register already holds the value. */
    private boolean wovenSkipped;

    /**
     * Exit of a woven module method: passes the epilogue (where a probe on {@code ret} traps) and pops
     * the frame, returning through its return slot.
     *
     * @param f the method's function
     * @param value what the body returned (ignored when {@link #enterWoven} skipped the body)
     * @return the value the method returns (a handler may have changed it)
     */
    public long exitWoven(KFunction f, long value) {
        KernelStack s = stack;
        int d = s.depth - 1;
        try {
            if (wovenSkipped) {
                wovenSkipped = false;
                return leave(s, d);
            }
            if (s.inHandler[d]) {
                return value;
            }
            setReturnValue(value);
            long mask;
            if (PROBE_SITES && ProbeSites.anyArmed() && (mask = f.armedMask) != 0) {
                int from = Math.max(s.pc[d], f.tailStart());
                if (armedIn(mask, from, f.lastInsn())) {
                    pass(f, d, from, f.lastInsn());
                } else {
                    s.pc[d] = f.lastInsn() + 1;
                }
            }
            return leave(s, d);
        } finally {
            s.depth = d;
            s.inHandler[d] = false;
            if (s.restoresRegs[d]) {
                s.restoresRegs[d] = false;
                popContexts(s.contextsPushed[d]);
            }
        }
    }

    /** Pushes the frame of a call: the callee, its return slot and its entry stack pointer. */
    private void pushCall(KernelStack s, int d, KFunction f, long ret, long sp) {
        if (d >= KernelStack.MAX_DEPTH) {
            throw new KernelStackOverflow(f);
        }
        // A reference store into the long-lived stack runs G1's card-marking barrier, whose slow path is
        // a full fence; a call at a depth that last held the same function (a loop calling it) skips it.
        if (s.fn[d] != f) {
            s.fn[d] = f;
        }
        s.pc[d] = 0;
        s.nextCall[d] = 0;
        s.ret[d] = ret;
        s.spEntry[d] = sp;
        s.frameId[d] = s.nextFrameId++;
        s.depth = d + 1;
        if (aregs != null) {
            aregs.regs[30] = ret;
        }
    }

    /**
     * Pops woven frames above {@code depth} that module code abandoned: a woven method whose body threw
     * leaves its frame on the stack (so that an oops reports where the fault happened); when module code
     * catches the exception, the enclosing woven method drops such frames before it returns. A popped
     * frame entered from a probe handler pops the trap's context frames, as {@link #exitWoven} does.
     *
     * @param depth the stack depth to keep (the enclosing method's frame included)
     */
    public void popWovenFrames(int depth) {
        KernelStack s = stack;
        while (s.depth > depth) {
            int d = s.depth - 1;
            s.depth = d;
            s.inHandler[d] = false;
            if (s.restoresRegs[d]) {
                s.restoresRegs[d] = false;
                popContexts(s.contextsPushed[d]);
            }
        }
    }

    /**
     * A woven method's body threw. Its frame stays on the stack for the oops report, unless the method
     * was entered from a probe handler: then the exception is leaving module code for the kprobes core,
     * and the frame is popped now.
     *
     * @param depth the stack depth with the method's frame on top
     */
    public void wovenThrew(int depth) {
        KernelStack s = stack;
        if (depth > 0 && depth <= s.depth && s.restoresRegs[depth - 1]) {
            popWovenFrames(depth - 1);
        }
    }

    private long run(KernelStack s, int d, KFunction f) {
        KFunction cur = f;
        while (true) {
            int outcome = TrapHandler.CONTINUE;
            long entryMask;
            if (PROBE_SITES && ProbeSites.anyArmed() && armedIn(entryMask = cur.armedMask, 0, cur.bodyStart - 1)) {
                outcome = passPrologue(s, cur, d, entryMask);
            } else {
                s.pc[d] = cur.bodyStart;
            }
            if (outcome == TrapHandler.CONTINUE) {
                try {
                    setReturnValue(cur.body().run(this));
                } catch (Unwind u) {
                    if (u.depth != d) {
                        throw u;
                    }
                    if (u.tailcall != null) {
                        cur = enterTailcall(s, d, u.tailcall);
                        continue;
                    }
                    return leave(s, d);
                }
                long mask;
                // An entry probe alone (mask 1) leaves nothing to check in the epilogue.
                if (PROBE_SITES && ProbeSites.anyArmed() && (mask = cur.armedMask) != 0 && mask != 1L) {
                    int tail = Math.max(s.pc[d], cur.tailStart());
                    if (!armedIn(mask, tail, cur.lastInsn())) {
                        s.pc[d] = cur.lastInsn() + 1;
                    } else if (pass(cur, d, tail, cur.lastInsn()) == REDIRECTED
                            && pendingOutcome == TrapHandler.TAILCALL) {
                        cur = enterTailcall(s, d, resumeFunction);
                        continue;
                    }
                }
                return leave(s, d);
            }
            if (outcome == TrapHandler.TAILCALL) {
                cur = enterTailcall(s, d, resumeFunction);
                continue;
            }
            return leave(s, d);
        }
    }

    /**
     * The caller (frame cd) passes its instructions up to its k-th call instruction ci, where an armed
     * one traps.
     *
     * @return false if a handler moved ip past the call, so the call does not happen
     * @throws Unwind if a handler made the caller return or tail-call
     */
    private boolean passToCall(KernelStack s, int cd, KFunction c, int k, int ci) {
        int from = Math.max(s.pc[cd], k == 0 ? c.bodyStart : c.callInsnIndex(k - 1) + 1);
        int r = pass(c, cd, from, ci);
        if (r == REDIRECTED) {
            throw new Unwind(cd, pendingOutcome == TrapHandler.TAILCALL ? resumeFunction : null);
        }
        return r != SKIPPED;
    }

    private KFunction enterTailcall(KernelStack s, int d, KFunction g) {
        s.fn[d] = g;
        s.pc[d] = 0;
        s.nextCall[d] = 0;
        return g;
    }

    private long leave(KernelStack s, int d) {
        long ret = s.ret[d];
        if (ret == trampolineAddr && ret != 0) {
            traps.trampoline(this, d);
        }
        return returnValue();
    }

    /** Set by {@code jprobe_return()} in a running jprobe entry. */
    public boolean jprobeReturned;

    /**
     * @return the frame of the function whose breakpoint is being handled (the innermost breakpoint
     *     context's), or -1 outside breakpoints
     */
    public int trapFrame() {
        for (int k = ctxCount - 1; k >= 0; k--) {
            if (ctxFrame[k] >= 0) {
                return ctxFrame[k] >> 1;
            }
        }
        return -1;
    }

    /**
     * Builds the pt_regs a return trampoline hands to its handlers: the task's registers (the return
     * value in ax / x0), with ip and sp as they are after the function returned.
     *
     * The trampoline's context shows on stack traces as {@code kretprobe_trampoline_handler} called from
     * {@code __kretprobe_trampoline}, returning to the real return address, and disables preemption.
     *
     * @param ip the instruction pointer to report: the real return address
     * @param sp the stack pointer after the return
     * @return the frame; leave it with {@link #exitReturnTrap}
     */
    public PtRegs enterReturnTrap(long ip, long sp) {
        int k = ctxCount;
        ctxFrame[k] = TRAMPOLINE_CONTEXT;
        ctxRet[k] = ip;
        ctxCount = k + 1;
        X86PtRegs x = xregs;
        if (x != null) {
            x.ip = ip;
            x.sp = sp;
            x.orig_ax = -1;
            return x;
        }
        Arm64PtRegs a = aregs;
        a.pc = ip;
        a.sp = sp;
        return a;
    }

    private static int nextCall(KernelStack s, int cd, KFunction c, KFunction f) {
        int n = c.callCount();
        for (int k = s.nextCall[cd]; k < n; k++) {
            if (c.callTarget(k) == f) {
                return k;
            }
        }
        for (int k = 0; k < n; k++) {
            if (c.callTarget(k) == f) {
                return k;
            }
        }
        return -1;
    }

    /** {@link #pass} result: a handler moved ip beyond the last instruction of the range. */
    private static final int SKIPPED = -2;
    /** {@link #pass} result: the frame must return or tail-call ({@link #pendingOutcome}). */
    private static final int REDIRECTED = -1;
    /** Outcome of the last {@link #pass} that returned {@link #REDIRECTED}. */
    private int pendingOutcome;
    /** Bound on traps taken without making progress, so a handler looping ip back cannot hang the JVM. */
    private static final int MAX_REPEATS = 1_000_000;

    /**
     * Executes instructions {@code [from, to]} of frame d.
     *
     * @return {@code to + 1} after running the range, {@link #SKIPPED} when a handler jumped past its
     *     end, or {@link #REDIRECTED} if the function must return or tail-call ({@link #pendingOutcome});
     *     a redirect out of a frame other than the running one unwinds to it
     */
    /**
     * Whether any instruction in {@code [from, to]} of a function whose {@link KFunction#armedMask} is mask
     * may carry a breakpoint (none when the mask is 0: the function is not armed). Callers check it before
     * {@link #pass}, so a call whose armed instructions lie elsewhere costs no trap check (and the large
     * {@code pass} is called only where it may trap).
     */
    private static boolean armedIn(long mask, int from, int to) {
        if ((mask & KFunction.ARMED_BEYOND_MASK) != 0) {
            return true;
        }
        if (from >= 63) {
            return false;
        }
        long m = mask & (-1L << from);
        return m != 0 && Long.numberOfTrailingZeros(m) <= to;
    }

    private int pass(KFunction f, int d, int from, int to) {
        KernelStack s = stack;
        int repeats = 0;
        int i = from;
        while (i <= to) {
            i = nextArmed(f, i, to);
            if (i > to) {
                break;
            }
            long addr = f.insnAddress(i);
            if (f.breakpointAtAddress(addr, arch)) {
                s.pc[d] = i;
                int r = traps.breakpoint(this, f, i, d, addr);
                if (r == TrapHandler.SKIP_TO) {
                    if (resumeIndex <= i && ++repeats > MAX_REPEATS) {
                        throw new SoftLockup(f, i);
                    }
                    i = resumeIndex;
                    if (i > to + 1) {
                        s.pc[d] = i;
                        return SKIPPED;
                    }
                    continue;
                }
                if (r != TrapHandler.CONTINUE) {
                    if (d != s.depth - 1) {
                        throw new Unwind(d, r == TrapHandler.TAILCALL ? resumeFunction : null);
                    }
                    pendingOutcome = r;
                    return REDIRECTED;
                }
            }
            i++;
        }
        s.pc[d] = to + 1;
        return to + 1;
    }

    /**
     * Passes the prologue of frame d (just pushed, or re-entered by a tail call: its pc is 0), which holds
     * an armed instruction: what {@link #pass} does over {@code [0, bodyStart - 1]}. When the entry is the
     * prologue's only armed instruction (an entry probe, the commonest case), its breakpoint is checked and
     * taken here directly, without the generic loop; a handler that moves ip sends the rest of the prologue
     * through {@link #pass} as usual.
     *
     * @param mask the function's {@link KFunction#armedMask}, as the caller read it
     * @return {@link TrapHandler#CONTINUE} to run the body, else the outcome ({@link TrapHandler#RETURN} or
     *     {@link TrapHandler#TAILCALL}, also left in {@link #pendingOutcome})
     */
    private int passPrologue(KernelStack s, KFunction f, int d, long mask) {
        int to = f.bodyStart - 1;
        if (to >= 62 || (mask & ((2L << to) - 1)) != 1L || mask < 0) {
            return pass(f, d, 0, to) == REDIRECTED ? pendingOutcome : TrapHandler.CONTINUE;
        }
        if (f.breakpointAtEntry(arch)) {
            // pc is 0 already: the frame was just pushed or re-entered by a tail call.
            int r = traps.breakpoint(this, f, 0, d, f.address());
            if (r != TrapHandler.CONTINUE) {
                return afterEntryTrap(s, f, d, r);
            }
        }
        s.pc[d] = to + 1;
        return TrapHandler.CONTINUE;
    }

    /** {@link #passPrologue}'s entry breakpoint ended in outcome r, not {@link TrapHandler#CONTINUE}. */
    private int afterEntryTrap(KernelStack s, KFunction f, int d, int r) {
        int to = f.bodyStart - 1;
        if (r == TrapHandler.SKIP_TO) {
            int i = resumeIndex;
            if (i > to + 1) {
                s.pc[d] = i;
                return TrapHandler.CONTINUE;
            }
            return pass(f, d, i, to) == REDIRECTED ? pendingOutcome : TrapHandler.CONTINUE;
        }
        if (d != s.depth - 1) {
            throw new Unwind(d, r == TrapHandler.TAILCALL ? resumeFunction : null);
        }
        pendingOutcome = r;
        return r;
    }

    /** @return the first instruction at or after i that may carry a breakpoint, or a value past to */
    private static int nextArmed(KFunction f, int i, int to) {
        long mask = f.armedMask;
        if ((mask & KFunction.ARMED_BEYOND_MASK) != 0) {
            return i;
        }
        if (i >= 63) {
            return to + 1;
        }
        long m = mask & (-1L << i);
        return m == 0 ? to + 1 : Long.numberOfTrailingZeros(m);
    }

    /** @return where a {@link TrapHandler#SKIP_TO} continues */
    public int resumeIndex() {
        return resumeIndex;
    }

    /** @return where a {@link TrapHandler#TAILCALL} continues */
    public KFunction resumeFunction() {
        return resumeFunction;
    }

    /** @param index where execution continues after a {@link TrapHandler#SKIP_TO} */
    public void setResumeIndex(int index) {
        this.resumeIndex = index;
    }

    /** @param f where execution continues after a {@link TrapHandler#TAILCALL} */
    public void setResumeFunction(KFunction f) {
        this.resumeFunction = f;
    }

    /**
     * Pushes a frame for code the kernel runs on its own (an exception handler) without passing any
     * instructions, so calls it makes and stack traces show it.
     *
     * @param f the function
     * @param returnAddress what its return slot holds (for an exception: the interrupted ip)
     * @param pc the instruction it is at
     */
    public void pushFrame(KFunction f, long returnAddress, int pc) {
        KernelStack s = stack;
        int d = s.depth;
        if (d >= KernelStack.MAX_DEPTH) {
            throw new KernelStackOverflow(f);
        }
        s.fn[d] = f;
        s.pc[d] = pc;
        s.nextCall[d] = f.callCount();
        s.ret[d] = returnAddress;
        s.spEntry[d] = d > 0 ? s.spAt(d - 1, s.pc[d - 1]) - 0xa8 : s.top();
        s.frameId[d] = s.nextFrameId++;
        s.depth = d + 1;
    }

    /** Pops the frame pushed by {@link #pushFrame}. */
    public void popFrame() {
        stack.depth--;
    }

    // ---------------------------------------------------------------- trap frames

    /**
     * Enters a breakpoint exception: IRQs off, preemption counted as in an NMI and a hard interrupt
     * ({@code irqentry_nmi_enter}), and the task's registers as the trap frame ({@code pt_regs}), with ip,
     * sp and the frame pointer as they are at instruction i of frame d. Its context shows on stack traces
     * as the breakpoint handler's frame, returning to the trapped instruction; nothing is pushed unless a
     * handler calls kernel code.
     *
     * @param ip the trapping instruction's address (x86's int3 traps with ip past itself: addr + 1)
     * @param i its index in its function
     * @param d its frame
     * @return the trap frame a handler sees; leave it with {@link #exitBreakpoint}
     */
    public PtRegs enterBreakpoint(long ip, int i, int d) {
        int k = ctxCount;
        ctxFrame[k] = d << 1 | (irqsDisabled ? 1 : 0);
        ctxRet[k] = ip;
        ctxCount = k + 1;
        irqsDisabled = true;
        KernelStack s = stack;
        long sp = i == 0 ? s.spAtEntry(d) : s.spAt(d, i);
        long fp = framePointer(s, d, i);
        X86PtRegs x = xregs;
        if (x != null) {
            x.sp = sp;
            x.bp = fp;
            x.orig_ax = -1;
            x.ip = ip + 1;
            return x;
        }
        Arm64PtRegs a = aregs;
        a.sp = sp;
        a.regs[29] = fp;
        a.pc = ip;
        return a;
    }

    private static long framePointer(KernelStack s, int d, int i) {
        // The frame pointer is set up by the second instruction: mov %rsp,%rbp / mov x29, sp.
        if (i >= 2) {
            return s.frameRecord(d);
        }
        return d == 0 ? 0 : s.frameRecord(d - 1);
    }

    /**
     * Leaves a breakpoint exception: the IRQ state it interrupted comes back, and the task continues with
     * the trap frame's registers (a handler's changes to argument or return registers take effect).
     */
    public void exitBreakpoint() {
        int k = ctxCount - 1;
        irqsDisabled = (ctxFrame[k] & 1) != 0;
        ctxCount = k;
    }

    /** Leaves a return trampoline's context ({@link #enterReturnTrap}). */
    public void exitReturnTrap() {
        ctxCount--;
    }

    /**
     * A handler calling kernel code: the exception's pt_regs are a snapshot in the kernel, so the call
     * must not change what the handler sees. Saves the registers, runs the call, restores them.
     */
    private long callFromHandler(KFunction f, long... args) {
        if (handlerCalls >= trapFrames.length) {
            throw new KernelStackOverflow(f);
        }
        PtRegs saved = trapFrames[handlerCalls++];
        saved.copyFrom(regs);
        int contexts = pushContexts();
        try {
            for (int i = 0; i < args.length && i < 6; i++) {
                setArg(i, args[i]);
            }
            return invoke(f);
        } finally {
            popContexts(contexts);
            handlerCalls--;
            regs.copyFrom(saved);
        }
    }

    /** Calls from handlers into kernel code in progress; each saved the registers in trapFrames[i]. */
    private int handlerCalls;

    // ---------------------------------------------------------------- context frames

    /**
     * The functions an exception or trampoline context runs in: what stack traces show above the
     * interrupted frames ({@code kprobe_int3_handler}; {@code __kretprobe_trampoline} and its handler).
     * Set once at boot.
     */
    private KFunction trapContextFn;
    private KFunction trampolineFn;
    private KFunction trampolineHandlerFn;
    /**
     * Exception and trampoline contexts in progress, innermost last (their number is the trap depth):
     * for a breakpoint, its trapped frame shifted left by one with the IRQ state it interrupted in bit 0
     * (1: disabled), for a return trampoline {@link #TRAMPOLINE_CONTEXT}; and the context's return
     * address. Owner only.
     */
    private final int[] ctxFrame = new int[16 + CACHE_LINE_PAD / 4];
    private final long[] ctxRet = new long[16 + CACHE_LINE_PAD / 8];
    /**
     * Unused bytes at the end of the arrays every hit writes, so that another CPU's data the heap places
     * right after them does not share their last cache line.
     */
    private static final int CACHE_LINE_PAD = 64;
    private int ctxCount;
    /** {@link #ctxFrame} of a return trampoline's context. */
    private static final int TRAMPOLINE_CONTEXT = -1;
    /** How many context levels are pushed as real frames (while a handler calls kernel code). */
    private int ctxPushed;

    /**
     * Names the functions that exception and trampoline contexts appear as on stack traces.
     *
     * @param trapHandler the breakpoint handler ({@code kprobe_int3_handler})
     * @param trampoline {@code __kretprobe_trampoline}
     * @param trampolineHandler {@code kretprobe_trampoline_handler}
     */
    public void contextFunctions(KFunction trapHandler, KFunction trampoline, KFunction trampolineHandler) {
        this.trapContextFn = trapHandler;
        this.trampolineFn = trampoline;
        this.trampolineHandlerFn = trampolineHandler;
    }

    /** Pushes the pending context frames as real frames; returns how many context levels it pushed. */
    private int pushContexts() {
        int pushed = 0;
        while (ctxPushed < ctxCount) {
            int k = ctxPushed++;
            if (ctxFrame[k] != TRAMPOLINE_CONTEXT && trapContextFn != null) {
                pushFrame(trapContextFn, ctxRet[k], trapContextFn.callCount() > 0 ? trapContextFn.callInsnIndex(0) : 0);
            } else if (ctxFrame[k] == TRAMPOLINE_CONTEXT && trampolineFn != null) {
                pushFrame(trampolineFn, ctxRet[k], 0);
                pushFrame(trampolineHandlerFn, trampolineFn.address(), 0);
            }
            pushed++;
        }
        return pushed;
    }

    private void popContexts(int levels) {
        for (int i = 0; i < levels; i++) {
            int k = --ctxPushed;
            stack.depth -= ctxFrame[k] == TRAMPOLINE_CONTEXT ? 2 : 1;
        }
    }

    /**
     * The return addresses the pending (not pushed) context frames add on top of a stack trace,
     * innermost first.
     *
     * @return the addresses
     */
    public long[] pendingContextAddresses() {
        java.util.ArrayList<Long> out = new java.util.ArrayList<>();
        for (int k = ctxCount - 1; k >= ctxPushed; k--) {
            if (ctxFrame[k] != TRAMPOLINE_CONTEXT && trapContextFn != null) {
                out.add(trapContextFn.insnAddress(trapContextFn.callCount() > 0 ? trapContextFn.callInsnIndex(0) : 0));
            } else if (ctxFrame[k] == TRAMPOLINE_CONTEXT && trampolineFn != null) {
                out.add(trampolineHandlerFn.address());
                out.add(trampolineFn.address());
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** @return how many exception and trampoline contexts are in progress */
    public int trapDepth() {
        return ctxCount;
    }

    /**
     * {@code preempt_count()}: what code set explicitly, plus {@code NMI_OFFSET + HARDIRQ_OFFSET} for each
     * breakpoint exception in progress and {@code PREEMPT_OFFSET} for each return trampoline.
     *
     * @return the count
     */
    public int preemptCount() {
        int n = ctxCount;
        return n == 0 ? preemptBase : preemptBase + contextPreempt(n);
    }

    /** @param count the {@code preempt_count()} to have from now on, with the contexts in progress */
    public void setPreemptCount(int count) {
        preemptBase = count - contextPreempt(ctxCount);
    }

    /** @param delta added to {@code preempt_count()} ({@code preempt_count_add}/{@code _sub}) */
    public void addPreemptCount(int delta) {
        preemptBase += delta;
    }

    private int contextPreempt(int n) {
        int sum = 0;
        for (int k = 0; k < n; k++) {
            sum += ctxFrame[k] == TRAMPOLINE_CONTEXT ? PREEMPT_OFFSET : NMI_OFFSET + HARDIRQ_OFFSET;
        }
        return sum;
    }

    @Override
    public String toString() {
        return "CPU#" + id;
    }

    /** Thrown when the simulated kernel stack overflows; the kernel oopses the task. */
    public static final class KernelStackOverflow extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** The function whose call overflowed. */
        public final transient KFunction function;

        KernelStackOverflow(KFunction f) {
            super("kernel stack overflow calling " + f.name(), null, false, false);
            this.function = f;
        }
    }

    /**
     * Thrown when a handler keeps sending execution back to the same probe, or when the watchdog found the
     * CPU looping in the kernel: the CPU is stuck.
     */
    public static final class SoftLockup extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** The function execution is stuck in, or null when module code loops. */
        public final transient KFunction function;
        /** How long the CPU was stuck, as the watchdog reports it. */
        public final int seconds;

        SoftLockup(KFunction f, int insn) {
            super("CPU stuck re-executing " + f.name() + " instruction " + insn, null, false, false);
            this.function = f;
            this.seconds = 22;
        }

        SoftLockup(int seconds) {
            super("CPU stuck in the kernel for " + seconds + "s", null, false, false);
            this.function = null;
            this.seconds = seconds;
        }
    }
}
