/**
 * BPF-style probe programs, modelled on libbpf: a program is a class whose static methods carry
 * {@link dev.ksim.sdk.bpf.SEC @SEC("kprobe/FUNC")} or {@code @SEC("kretprobe/FUNC")}, take the probe's
 * context ({@link dev.ksim.sdk.PtRegs}) followed by the probed function's arguments (or its return value)
 * already typed, as {@code BPF_KPROBE}/{@code BPF_KRETPROBE} give them, and call only the BPF helpers of
 * {@link dev.ksim.sdk.bpf.Bpf} and the maps declared in {@code @SEC(".maps")} fields. The loader checks
 * each program as the kernel's verifier does before anything is attached.
 *
 * <pre>{@code
 * import static dev.ksim.sdk.bpf.Bpf.*;
 *
 * public class KprobeLink {
 *     @SEC("license") static final String LICENSE = "Dual BSD/GPL";
 *
 *     @SEC("kprobe/do_unlinkat")
 *     static int do_unlinkat(PtRegs ctx, int dfd, Filename name) {
 *         int pid = (int) (bpf_get_current_pid_tgid() >> 32);
 *         String filename = BPF_CORE_READ(() -> name.name());
 *         bpf_printk("KPROBE ENTRY pid = %d, filename = %s\n", pid, filename);
 *         return 0;
 *     }
 * }
 * }</pre>
 */
package dev.ksim.sdk.bpf;
