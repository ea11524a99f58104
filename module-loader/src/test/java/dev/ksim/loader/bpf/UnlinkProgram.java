package dev.ksim.loader.bpf;

import static dev.ksim.sdk.bpf.Bpf.*;

import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.bpf.SEC;
import dev.ksim.sdk.linux.Filename;

/** The eBPF tutorial's unlink example, as the loader tests load it. */
public class UnlinkProgram {
    @SEC("license")
    static final String LICENSE = "Dual BSD/GPL";

    @SEC("kprobe/do_unlinkat")
    static int do_unlinkat(PtRegs ctx, int dfd, Filename name) {
        int pid = (int) (bpf_get_current_pid_tgid() >> 32);
        String filename = BPF_CORE_READ(() -> name.name());
        bpf_printk("KPROBE ENTRY pid = %d, filename = %s\n", pid, filename);
        return 0;
    }

    @SEC("kretprobe/do_unlinkat")
    static int do_unlinkat_exit(PtRegs ctx, long ret) {
        int pid = (int) (bpf_get_current_pid_tgid() >> 32);
        bpf_printk("KPROBE EXIT: pid = %d, ret = %ld\n", pid, ret);
        return 0;
    }
}
