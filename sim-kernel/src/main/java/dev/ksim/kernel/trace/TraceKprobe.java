package dev.ksim.kernel.trace;

import dev.ksim.kernel.KernelProfile;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.kprobes.KprobeEngine;
import dev.ksim.kernel.text.Symbol;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.KretprobeInstance;
import dev.ksim.sdk.PtRegs;

/**
 * A kprobe or kretprobe of a dynamic event ({@code struct trace_kprobe}), registered with the same kprobes engine
 * as module probes, disabled until its event is enabled (so {@code kprobes/list} shows it {@code [DISABLED]}).
 * Its handlers count {@code nhit} and record the event.
 */
final class TraceKprobe extends ProbePoint {
    private final SimKernel k;
    private final KprobeCommand cmd;
    /** The engine's probe: {@code kp} itself, or the kretprobe's {@code kp}. */
    private final Kprobe kp;
    private final dev.ksim.sdk.Kretprobe rp;

    TraceKprobe(ProbeEvent event, SimKernel k, KprobeCommand cmd) {
        super(event);
        this.k = k;
        this.cmd = cmd;
        if (cmd.isReturn()) {
            rp = new dev.ksim.sdk.Kretprobe();
            rp.maxactive = cmd.maxactive();
            rp.handler = this::returnHit;
            kp = rp.kp;
        } else {
            rp = null;
            kp = new Kprobe();
            kp.pre_handler = this::entryHit;
        }
    }

    KprobeCommand command() {
        return cmd;
    }

    /**
     * {@code __register_trace_kprobe()}: resolves {@code @SYM} arguments ({@code traceprobe_update_arg}) and
     * registers the probe disabled.
     *
     * @return 0 or the engine's negative errno
     */
    int register() {
        for (int i = 0; i < event.args.size(); i++) {
            ProbeArg a = event.args.get(i);
            if (a.base().op() == ProbeArg.Op.SYMBOL) {
                String s = a.base().param();
                int sign = -1;
                for (int j = 0; j < s.length(); j++) {
                    if (s.charAt(j) == '+' || s.charAt(j) == '-') {
                        sign = j;
                        break;
                    }
                }
                Long off = sign < 0 ? Long.valueOf(0) : Kstrto.l(s.substring(sign));
                Symbol sym = k.text().lookupName(sign < 0 ? s : s.substring(0, sign));
                if (off == null) {
                    return -Errno.EINVAL;
                }
                if (sym == null) {
                    return -Errno.ENOENT;
                }
                symbolAddresses[i] = sym.address() + off;
            }
        }
        String symbol = cmd.symbol();
        if (symbol != null && symbol.contains(":")) {
            // MOD:SYM names a module's symbol; the engine takes its address.
            String mod = symbol.substring(0, symbol.indexOf(':'));
            Symbol s = k.text().lookupName(symbol.substring(symbol.indexOf(':') + 1));
            if (s == null || !mod.equals(s.module())) {
                return -Errno.ENOENT;
            }
            kp.addr = s.address() + cmd.offset();
        } else if (symbol != null) {
            kp.symbol_name = symbol;
            kp.offset = (int) cmd.offset();
        } else {
            kp.addr = cmd.addr();
        }
        kp.flags = Kprobe.KPROBE_FLAG_DISABLED;
        KprobeEngine e = k.kprobes();
        return cmd.isReturn() ? e.register_kretprobe(rp) : e.register_kprobe(kp);
    }

    @Override
    int arm() {
        return k.kprobes().enable_kprobe(kp);
    }

    @Override
    void disarm() {
        k.kprobes().disable_kprobe(kp);
    }

    @Override
    void release() {
        if (cmd.isReturn()) {
            k.kprobes().unregister_kretprobe(rp);
        } else {
            k.kprobes().unregister_kprobe(kp);
        }
    }

    private int entryHit(Kprobe p, PtRegs regs) {
        nhit.incrementAndGet();
        if (event.enabled) {
            Cpu cpu = Cpu.current();
            KernelFetchContext ctx = new KernelFetchContext(k, regs, cpu == null ? null : cpu.task(), false);
            event.hit(this, ctx, Symbols.withOffset(k.text(), p.addr), cpu, ctx.task);
        }
        return 0;
    }

    private int returnHit(KretprobeInstance ri, PtRegs regs) {
        nhit.incrementAndGet();
        if (event.enabled) {
            Cpu cpu = Cpu.current();
            KernelFetchContext ctx = new KernelFetchContext(k, regs, cpu == null ? null : cpu.task(), false);
            String where = Symbols.withOffset(k.text(), ri.ret_addr) + " <- " + Symbols.name(k.text(), kp.addr);
            event.hit(this, ctx, where, cpu, ctx.task);
        }
        return 0;
    }

    @Override
    String location() {
        if (cmd.symbol() == null) {
            return "0x" + k.log().printk().vsprintf().sprintf("%p", cmd.addr());
        }
        return cmd.offset() != 0 ? cmd.symbol() + "+" + cmd.offset() : cmd.symbol();
    }

    @Override
    String definition() {
        StringBuilder b = new StringBuilder();
        b.append(cmd.isReturn() ? 'r' : 'p');
        if (cmd.isReturn() && cmd.maxactive() != 0) {
            b.append(cmd.maxactive());
        }
        b.append(':').append(event.group).append('/').append(event.name).append(' ').append(location());
        for (ProbeArg a : event.args) {
            b.append(' ').append(a.name()).append('=').append(a.comm());
        }
        return b.toString();
    }

    @Override
    long misses() {
        // Kernels from 5.19 add the kretprobe's own misses (no free instance) to the kprobe's.
        boolean sum = cmd.isReturn() && k.profile() != KernelProfile.V4_14 && k.profile() != KernelProfile.V5_10;
        return kp.nmissed + (sum ? rp.nmissed : 0);
    }

    @Override
    String profileLine() {
        return String.format("  %-44s %15d %15d%n", event.name, nhit.get(), misses()).replace(System.lineSeparator(),
                "\n");
    }
}
