package dev.ksim.loader.bpf;

import dev.ksim.kernel.SimKernel;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.spi.KernelBinding;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Attaches programs to a kernel's kprobe engine (as the perf kprobe events libbpf creates do) and runs them
 * from the probes' handlers with {@code trace_call_bpf()}'s rule: a hit while a BPF program already runs on
 * the CPU ({@code bpf_prog_active}) skips the program and counts in its {@code recursion_misses}.
 */
final class ProgramRunner {
    private final SimKernel k;
    /** {@code bpf_prog_active}, per CPU: programs running there (0 or 1 outside a nested hit). */
    private final AtomicIntegerArray active;

    ProgramRunner(SimKernel k) {
        this.k = k;
        this.active = new AtomicIntegerArray(k.cpus().size());
    }

    /** @param p a program @return 0, or the errno of {@code register_kprobe}/{@code register_kretprobe} */
    int attach(BpfProgram p) {
        if (p.retprobe()) {
            Kretprobe rp = new Kretprobe();
            rp.kp.symbol_name = p.target();
            rp.handler = (ri, regs) -> run(p, regs);
            p.kretprobe = rp;
            return k.run(() -> k.register_kretprobe(rp));
        }
        Kprobe kp = new Kprobe(p.target());
        kp.offset = (int) p.offset();
        kp.pre_handler = (probe, regs) -> run(p, regs);
        p.kprobe = kp;
        return k.run(() -> k.register_kprobe(kp));
    }

    void detach(BpfProgram p) {
        Kretprobe rp = p.kretprobe;
        Kprobe kp = p.kprobe;
        k.run(() -> {
            if (rp != null) {
                k.unregister_kretprobe(rp);
            } else if (kp != null) {
                k.unregister_kprobe(kp);
            }
        });
    }

    /** {@code trace_call_bpf()}: runs the program unless one already runs on this CPU. */
    private int run(BpfProgram p, PtRegs regs) {
        int cpu = k.smp_processor_id();
        if (active.incrementAndGet(cpu) != 1) {
            active.decrementAndGet(cpu);
            p.recursionMisses.increment();
            return 0;
        }
        try (KernelBinding.Scope s = KernelBinding.bind(k)) {
            p.runs.increment();
            p.args.invoke(regs);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            active.decrementAndGet(cpu);
        }
        return 0;
    }

}
