package dev.ksim.samples.bpf;

import static dev.ksim.sdk.bpf.Bpf.*;

import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.bpf.SEC;
import dev.ksim.sdk.linux.Filename;

/**
 * The eBPF tutorial's {@code kprobe-link.bpf.c}, ported: a kprobe and a kretprobe on
 * {@code do_unlinkat} that print the pid and file name, then the return value, to {@code trace_pipe}.
 *
 * <pre>
 * ksim$ bpf load sample-modules/src/main/java/dev/ksim/samples/bpf/KprobeLink.java
 * ksim$ touch test1; rm test1
 * ksim$ cat /sys/kernel/debug/tracing/trace_pipe
 *               rm-9       [000] d..3.  1.000000: bpf_trace_printk: KPROBE ENTRY pid = 9, filename = test1
 *               rm-9       [000] d..4.  1.000000: bpf_trace_printk: KPROBE EXIT: pid = 9, ret = 0
 * </pre>
 */
public class KprobeLink {
    /** {@code char LICENSE[] SEC("license") = "Dual BSD/GPL";} */
    @SEC("license")
    static final String LICENSE = "Dual BSD/GPL";

    /**
     * {@code SEC("kprobe/do_unlinkat") int BPF_KPROBE(do_unlinkat, int dfd, struct filename *name)}.
     *
     * @param ctx the registers
     * @param dfd the directory fd
     * @param name the file name
     * @return 0
     */
    @SEC("kprobe/do_unlinkat")
    static int do_unlinkat(PtRegs ctx, int dfd, Filename name) {
        int pid = (int) (bpf_get_current_pid_tgid() >> 32);
        String filename = BPF_CORE_READ(() -> name.name());
        bpf_printk("KPROBE ENTRY pid = %d, filename = %s\n", pid, filename);
        return 0;
    }

    /**
     * {@code SEC("kretprobe/do_unlinkat") int BPF_KRETPROBE(do_unlinkat_exit, long ret)}.
     *
     * @param ctx the registers
     * @param ret do_unlinkat's return value
     * @return 0
     */
    @SEC("kretprobe/do_unlinkat")
    static int do_unlinkat_exit(PtRegs ctx, long ret) {
        int pid = (int) (bpf_get_current_pid_tgid() >> 32);
        bpf_printk("KPROBE EXIT: pid = %d, ret = %ld\n", pid, ret);
        return 0;
    }
}
