package dev.ksim.kernel.text;

import dev.ksim.kernel.Arch;
import java.util.List;

/**
 * A simulated function laid out in kernel or module text: its symbol, its instructions at their real
 * addresses, the call instructions its body passes through, and its behaviour.
 *
 * <p>{@link #armed} counts the breakpoints currently written into this function's instructions; a CPU
 * checks individual instructions only while it is non-zero, which keeps an unprobed function as cheap as
 * an uninstrumented one.
 */
public final class KFunction {
    /** The function's kallsyms entry. */
    public final Symbol symbol;
    /** What it was assembled from. */
    public final FunctionDef def;
    /** The text segment holding it. */
    public final TextSegment segment;
    /** Its instructions in address order, followed by the padding up to the next symbol. */
    final Insn[] insns;
    /** Number of real instructions (the rest of {@link #insns} is padding). */
    final int codeInsns;
    /** Index of the first instruction after the prologue. */
    public final int bodyStart;
    /** Indexes of the call instructions, in order. */
    final int[] callInsn;
    /** Resolved callee of each call instruction; filled in after layout. */
    final KFunction[] callTarget;
    /** The return address each call instruction pushes: the address right after it. */
    private final long[] callReturn;
    /** Index of the first instruction after the last call: where the epilogue segment begins. */
    final int tailStart;
    /** {@code spBefore[i]}: how far instructions 0..i-1 moved the stack pointer (pushes are negative). */
    private final int[] spBefore;
    /** Breakpoints currently written in this function; changed only under text_mutex ({@link #setArmed}). */
    public volatile int armed;
    /**
     * Which instructions carry a breakpoint: bit i for instruction i < 64; {@link #ARMED_BEYOND_MASK} when
     * one beyond the 64th does. Changed only under text_mutex, read by CPUs passing armed functions.
     */
    public volatile long armedMask;
    /**
     * What the breakpoint handler registered for the entry instruction (the kprobes core: its probe point
     * there, found without hashing the address), or null. Written under kprobe_mutex; read by breakpoint
     * handlers, which treat it as they treat the hash table (RCU: a removed entry may still be seen).
     */
    public volatile Object entryTrapData;
    /** Set in {@link #armedMask} when an instruction past the 64th is armed (then every one is checked). */
    public static final long ARMED_BEYOND_MASK = Long.MIN_VALUE;
    private final int[] armedCount = new int[64];

    /**
     * Records that instruction i gained or lost a breakpoint. Caller holds text_mutex.
     *
     * @param i the instruction
     * @param on whether it is now armed
     */
    public void setArmed(int i, boolean on) {
        int before = armed;
        int after = before + (on ? 1 : -1);
        long mask = armedMask;
        if (i < 63) {
            mask = on ? mask | (1L << i) : mask & ~(1L << i);
        } else {
            armedCount[63] += on ? 1 : -1;
            mask = armedCount[63] > 0 ? mask | ARMED_BEYOND_MASK : mask & ~ARMED_BEYOND_MASK;
        }
        armedMask = mask;
        armed = after;
        if (before == 0 && after > 0) {
            ProbeSites.functionArmed();
        } else if (before > 0 && after == 0) {
            ProbeSites.functionDisarmed();
        }
    }
    /** What the function does; set once when the image is built or the module is loaded. */
    private volatile Body body = Body.RETURN_ZERO;

    /** {@link Symbol#address()}, and the entry's index in the segment's bytes: read on every call. */
    private final long address;
    private final int entryOffset;
    private final int spAtReturn;

    KFunction(Symbol symbol, FunctionDef def, TextSegment segment, List<Insn> insns, int codeInsns, int bodyStart) {
        this.symbol = symbol;
        this.address = symbol.address();
        this.entryOffset = (int) (address - segment.base);
        this.def = def;
        this.segment = segment;
        this.insns = insns.toArray(new Insn[0]);
        this.codeInsns = codeInsns;
        this.bodyStart = bodyStart;
        this.callInsn = java.util.stream.IntStream.range(0, codeInsns).filter(i -> this.insns[i].isCall()).toArray();
        this.callTarget = new KFunction[callInsn.length];
        this.callReturn = new long[callInsn.length];
        for (int k = 0; k < callInsn.length; k++) {
            Insn call = this.insns[callInsn[k]];
            callReturn[k] = symbol.address() + call.offset() + call.length();
        }
        this.tailStart = callInsn.length == 0 ? bodyStart : callInsn[callInsn.length - 1] + 1;
        this.spBefore = new int[this.insns.length + 1];
        for (int i = 0; i < this.insns.length; i++) {
            spBefore[i + 1] = spBefore[i] + this.insns[i].spDelta();
        }
        this.spAtReturn = spDeltaBefore(lastInsn());
    }

    /**
     * @param i an instruction index (or the instruction count)
     * @return how far the instructions before it moved the stack pointer
     */
    public int spDeltaBefore(int i) {
        return spBefore[Math.min(Math.max(i, 0), spBefore.length - 1)];
    }

    /** @return {@link #spDeltaBefore} the last instruction ({@code ret}): where a return finds the stack */
    public int spDeltaAtReturn() {
        return spAtReturn;
    }

    /** @return the function's name */
    public String name() {
        return symbol.name();
    }

    /** @return its entry address */
    public long address() {
        return address;
    }

    /** @return the module it belongs to, or {@code null} */
    public String module() {
        return symbol.module();
    }

    /** @return its behaviour */
    public Body body() {
        return body;
    }

    /** @param body its behaviour */
    public void bind(Body body) {
        this.body = body;
    }

    /** @return the number of instructions, padding included */
    public int insnCount() {
        return insns.length;
    }

    /** @param i an index @return the instruction */
    public Insn insn(int i) {
        return insns[i];
    }

    /** @param i an index @return the instruction's address */
    public long insnAddress(int i) {
        return symbol.address() + insns[i].offset();
    }

    /** @return the number of call instructions */
    public int callCount() {
        return callInsn.length;
    }

    /** @param k the k-th call @return the index of its instruction */
    public int callInsnIndex(int k) {
        return callInsn[k];
    }

    /** @param k the k-th call @return the address right after its instruction (what it pushes) */
    public long callReturnAddress(int k) {
        return callReturn[k];
    }

    /** @param k the k-th call @return its callee, once resolved */
    public KFunction callTarget(int k) {
        return callTarget[k];
    }

    /** @return index of the first instruction of the epilogue segment */
    public int tailStart() {
        return tailStart;
    }

    /** @return index of the function's last real instruction (its {@code ret}, or a trap for noreturn) */
    public int lastInsn() {
        return codeInsns - 1;
    }

    /**
     * Finds the instruction starting exactly at an address.
     *
     * @param addr an address inside the symbol
     * @return its index, or -1 if the address is not on an instruction boundary
     */
    public int insnIndexAt(long addr) {
        int off = (int) (addr - symbol.address());
        int lo = 0;
        int hi = insns.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int o = insns[mid].offset();
            if (o == off) {
                return mid;
            }
            if (o < off) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    /**
     * @param i an instruction index
     * @param arch the architecture
     * @return true if a kprobe breakpoint is currently written at that instruction
     */
    public boolean breakpointAt(int i, Arch arch) {
        return breakpointAtAddress(insnAddress(i), arch);
    }

    /**
     * @param addr the address of one of this function's instructions
     * @param arch the architecture
     * @return true if a kprobe breakpoint is currently written there
     */
    public boolean breakpointAtAddress(long addr, Arch arch) {
        return arch == Arch.X86_64 ? segment.readByte(addr) == Arch.INT3_INSN_OPCODE
                : segment.readWord(addr) == Arch.BRK64_OPCODE_KPROBES;
    }

    /**
     * @param arch the architecture
     * @return true if a kprobe breakpoint is currently written at the entry
     */
    public boolean breakpointAtEntry(Arch arch) {
        return arch == Arch.X86_64 ? segment.byteAt(entryOffset) == Arch.INT3_INSN_OPCODE
                : segment.wordAt(entryOffset) == Arch.BRK64_OPCODE_KPROBES;
    }

    @Override
    public String toString() {
        return symbol.name() + (symbol.module() != null ? " [" + symbol.module() + "]" : "") + " @ 0x"
                + Long.toHexString(symbol.address());
    }
}
