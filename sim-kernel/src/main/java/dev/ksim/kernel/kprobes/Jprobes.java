package dev.ksim.kernel.kprobes;

import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.text.Symbol;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Jprobe;
import dev.ksim.sdk.JprobeEntry;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.KprobePreHandler;
import dev.ksim.sdk.PtRegs;

/**
 * jprobes, as kernels up to 4.14 had them: a kprobe on a function's entry whose {@code setjmp_pre_handler}
 * calls the jprobe's entry with the probed function's own arguments; the entry ends with
 * {@code jprobe_return()}, after which the probed instruction is single-stepped as for any kprobe.
 */
final class Jprobes {
    /** The pre_handler of a jprobe's kprobe; the debugfs list shows such probes as {@code j}. */
    interface JprobePreHandler extends KprobePreHandler {
    }

    private final KprobeEngine engine;
    private final KprobeHost host;

    Jprobes(KprobeEngine engine, KprobeHost host) {
        this.engine = engine;
        this.host = host;
    }

    /** {@code register_jprobe}. */
    int register(Jprobe jp) {
        if (!host.profile().jprobes()) {
            return -Errno.ENOSYS;
        }
        if (jp == null || jp.entry == null) {
            return -Errno.EINVAL;
        }
        Kprobe kp = jp.kp;
        long addr = engine.canonicalAddress(kp.addr, kp.symbol_name, kp.offset);
        if (addr < 0 && addr > -4096) {
            return -Errno.EINVAL;
        }
        Symbol s = host.text().lookup(addr);
        if (s.address() != addr) {
            return -Errno.EINVAL;
        }
        JprobeEntry entry = jp.entry;
        kp.pre_handler = (JprobePreHandler) (p, regs) -> setjmp(p, entry, regs);
        return engine.register_kprobe(kp);
    }

    /** {@code setjmp_pre_handler} + the entry + {@code jprobe_return} + {@code longjmp_break_handler}. */
    private int setjmp(Kprobe p, JprobeEntry entry, PtRegs regs) {
        Cpu cpu = Cpu.current();
        long sp = regs.stackPointer();
        boolean saved = cpu.jprobeReturned;
        cpu.jprobeReturned = false;
        try {
            long[] a = new long[6];
            for (int i = 0; i < 6; i++) {
                a[i] = regs.kernelArgument(i);
            }
            if (entry instanceof JprobeEntry.Args0 e) {
                e.entry();
            } else if (entry instanceof JprobeEntry.Args1 e) {
                e.entry(a[0]);
            } else if (entry instanceof JprobeEntry.Args2 e) {
                e.entry(a[0], a[1]);
            } else if (entry instanceof JprobeEntry.Args3 e) {
                e.entry(a[0], a[1], a[2]);
            } else if (entry instanceof JprobeEntry.Args4 e) {
                e.entry(a[0], a[1], a[2], a[3]);
            } else if (entry instanceof JprobeEntry.Args5 e) {
                e.entry(a[0], a[1], a[2], a[3], a[4]);
            } else if (entry instanceof JprobeEntry.Args6 e) {
                e.entry(a[0], a[1], a[2], a[3], a[4], a[5]);
            }
            if (!cpu.jprobeReturned) {
                // The entry returned instead of ending with jprobe_return(): its return lands on a
                // stack that longjmp_break_handler does not recognise.
                host.printk("\0013current sp %px does not match saved sp %px\n", regs.stackPointer() + 8, sp);
                host.printk("\0013Saved registers for jprobe %px\n", p.addr);
                throw host.bug("arch/x86/kernel/kprobes/core.c", 1124);
            }
            return 0;
        } finally {
            cpu.jprobeReturned = saved;
        }
    }

    /** {@code jprobe_return}: marks the running jprobe entry as finished. */
    void jprobeReturn() {
        Cpu cpu = Cpu.current();
        if (cpu != null) {
            cpu.jprobeReturned = true;
        }
    }

    /** {@code unregister_jprobes}. */
    void unregister(Jprobe[] jps, int num) {
        if (jps == null || num <= 0) {
            return;
        }
        num = Math.min(num, jps.length);
        Kprobe[] kps = new Kprobe[num];
        for (int i = 0; i < num; i++) {
            kps[i] = jps[i] == null ? null : jps[i].kp;
        }
        engine.unregister_kprobes(kps, num);
    }
}
