package dev.ksim.loader.bpf;

import static dev.ksim.sdk.bpf.Bpf.*;

import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.bpf.BpfHashMap;
import dev.ksim.sdk.bpf.BpfPercpuArrayMap;
import dev.ksim.sdk.bpf.BpfRingBuf;
import dev.ksim.sdk.bpf.SEC;

/** Counts unlinks per CPU and per process, and sends each to user space through a ring buffer. */
public class UnlinkCounter {
    @SEC("license")
    static final String LICENSE = "GPL";

    /** One unlink. @param pid the process @param cpu where it ran @param ret what do_unlinkat returned */
    public record Event(int pid, int cpu, long ret) {
    }

    @SEC(".maps")
    static final BpfPercpuArrayMap<Long> calls = new BpfPercpuArrayMap<>(0L, 1);
    @SEC(".maps")
    static final BpfHashMap<Integer, Long> by_pid = new BpfHashMap<>(Integer.class, Long.class, 64);
    @SEC(".maps")
    static final BpfRingBuf<Event> events = new BpfRingBuf<>(Event.class, 16 * 4096);

    @SEC("kretprobe/do_unlinkat")
    static int unlink_exit(PtRegs ctx, long ret) {
        Long c = bpf_map_lookup_elem(calls, 0);
        if (c != null) {
            bpf_map_update_elem(calls, 0, c + 1, BPF_ANY);
        }
        int pid = (int) (bpf_get_current_pid_tgid() >> 32);
        Long n = bpf_map_lookup_elem(by_pid, pid);
        bpf_map_update_elem(by_pid, pid, n == null ? 1L : n + 1, BPF_ANY);
        bpf_ringbuf_output(events, new Event(pid, bpf_get_smp_processor_id(), ret), 0);
        return 0;
    }
}
