package dev.ksim.kernel.trace;

import dev.ksim.kernel.KernelProfile;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.kprobes.KprobeEngine;
import dev.ksim.kernel.text.ModuleText;
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
        super(event, cmd.args());
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

    /**
     * {@code __register_trace_kprobe()}: resolves {@code @SYM} arguments ({@code traceprobe_update_arg}) and
     * registers the probe disabled.
     *
     * @return 0 or the engine's negative errno
     */
    @Override
    int register() {
        for (int i = 0; i < args.size(); i++) {
            ProbeArg a = args.get(i);
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
            ModuleText mt = k.text().module(module());
            Symbol s = mt == null ? null : mt.symbols.stream()
                    .filter(x -> x.name().equals(symbol.substring(symbol.indexOf(':') + 1))).findFirst().orElse(null);
            if (s == null) {
                return -Errno.ENOENT;
            }
            kp.addr = s.address() + cmd.offset();
        } else if (symbol != null) {
            kp.symbol_name = symbol;
            kp.offset = (int) cmd.offset();
        } else {
            kp.addr = cmd.addr();
        }
        kp.flags = event.enabled ? 0 : Kprobe.KPROBE_FLAG_DISABLED;
        KprobeEngine e = k.kprobes();
        int r = cmd.isReturn() ? e.register_kretprobe(rp) : e.register_kprobe(kp);
        registered = r == 0;
        return r;
    }

    /** Whether the engine has the probe; a probe on a module not loaded yet waits (guarded by DynamicEvents). */
    private boolean registered;

    /** @return the module a {@code MOD:SYM} probe is on, or null */
    String module() {
        String s = cmd.symbol();
        return s != null && s.contains(":") ? s.substring(0, s.indexOf(':')) : null;
    }

    /** @return whether the probe waits for its module ({@code trace_kprobe_module_exist()} is false) */
    boolean waitsForModule() {
        return !registered && module() != null && k.text().module(module()) == null;
    }

    /**
     * {@code trace_kprobe_module_callback()}: the module of a waiting probe is coming; register it now.
     *
     * @param mt the module
     */
    void moduleComing(ModuleText mt) {
        if (!registered && mt.name.equals(module())) {
            int r = register();
            if (r < 0) {
                k.log().line("\0014trace_kprobe: Failed to re-register probe " + event.name + " on " + mt.name + ": "
                        + r + "\n");
            }
        }
    }

    @Override
    int arm() {
        return registered ? k.kprobes().enable_kprobe(kp) : 0;
    }

    @Override
    void disarm() {
        if (registered) {
            k.kprobes().disable_kprobe(kp);
        }
    }

    @Override
    void release() {
        if (!registered) {
            return;
        }
        registered = false;
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
        if (cmd.isReturn() && cmd.maxactive() != 0 && k.profile() != KernelProfile.V4_14) {
            b.append(cmd.maxactive());
        }
        b.append(':').append(event.group).append('/').append(event.name).append(' ').append(location());
        for (ProbeArg a : args) {
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
