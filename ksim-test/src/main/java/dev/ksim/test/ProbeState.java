package dev.ksim.test;

import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.kprobes.KprobeEngine;
import dev.ksim.kernel.kprobes.MissStats;
import dev.ksim.kernel.text.Symbol;
import dev.ksim.sdk.Kprobe;
import java.util.ArrayList;
import java.util.List;

/**
 * A registered probe as the kernel sees it: where, what kind, how often its handlers ran, and its misses
 * by cause, as {@code /sys/kernel/debug/ksim/kprobe_misses} reports them.
 *
 * @param where the symbol and offset ({@code kernel_clone+0x0}), or the address in hex
 * @param addr the probed address
 * @param type {@code k} kprobe, {@code r} kretprobe, {@code j} jprobe (debugfs {@code kprobes/list}'s letter)
 * @param flags {@code " "}, {@code "[DISABLED]"} or {@code "[GONE]"}, as the list marks it
 * @param hits hits whose handlers ran (for a kretprobe: calls that reached its entry)
 * @param nmissed the kernel's {@code nmissed} (for a kretprobe, with the calls it could not track)
 * @param recursion hits skipped because a handler already ran on the CPU
 * @param noInstance kretprobe calls not tracked because all {@code maxactive} instances were in use
 * @param disabled hits while this probe was disabled at an address others kept enabled
 */
public record ProbeState(String where, long addr, char type, String flags, long hits, long nmissed, long recursion,
        long noInstance, long disabled) {

    /**
     * @param symbol {@code name} (offset 0) or {@code name+0xN}
     * @return whether this probe is there
     */
    public boolean at(String symbol) {
        return where.equals(symbol.contains("+") ? symbol : symbol + "+0x0");
    }

    static List<ProbeState> all(SimKernel k) {
        KprobeEngine engine = k.kprobes();
        List<Kprobe> probes = engine.registered();
        List<String> list = k.read("/sys/kernel/debug/kprobes/list").lines().toList();
        List<ProbeState> out = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            Kprobe p = probes.get(i);
            // The list walks the same table in the same order: "%016x  %c  sym+0xoff  mod flags".
            String line = i < list.size() ? list.get(i) : "";
            char type = line.length() > 18 ? line.charAt(18) : '?';
            String flags = line.endsWith("[GONE]") ? "[GONE]" : line.endsWith("[DISABLED]") ? "[DISABLED]" : " ";
            Symbol s = k.text().lookup(p.addr);
            String where = s == null ? String.format("0x%x", p.addr)
                    : s.name() + "+0x" + Long.toHexString(p.addr - s.address());
            MissStats st = engine.missStats(p);
            out.add(new ProbeState(where, p.addr, type, flags, st.hits(), engine.nmissed(p), st.recursion(),
                    st.noInstance(), st.disabled()));
        }
        return out;
    }
}
