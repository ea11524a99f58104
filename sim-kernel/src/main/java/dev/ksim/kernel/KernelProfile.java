package dev.ksim.kernel;

import dev.ksim.kernel.image.ImageCatalog;
import java.util.Locale;
import java.util.Map;

/**
 * Which kernel version the simulator behaves as. Symbol tables differ the way real kernels differ, so a
 * module can be tested for portability: {@code kernel_clone} is {@code _do_fork} on 4.14, syscalls are
 * {@code SyS_*} taking their arguments directly before 4.17 and {@code __x64_sys_*(struct pt_regs *)}
 * after, {@code _printk} was {@code printk} before 5.15, and so on.
 */
public enum KernelProfile {
    /** 4.14 LTS: jprobes, {@code kprobe::fault_handler}, {@code _do_fork}, {@code do_sys_open}, SyS_ syscalls. */
    V4_14("4.14", "4.14.336-ksim"),
    /** 5.10 LTS: {@code kernel_clone}, {@code do_sys_openat2}, pt_regs syscall wrappers, still fault_handler. */
    V5_10("5.10", "5.10.209-ksim"),
    /** 6.8: the current kernel: no fault_handler, {@code __kretprobe_trampoline}, correct kretprobe stack traces. */
    V6_8("6.8", "6.8.0-ksim");

    /** The version users type ({@code --kernel 4.14}). */
    public final String version;
    /** {@code uname -r}. */
    public final String release;

    KernelProfile(String version, String release) {
        this.version = version;
        this.release = release;
    }

    /** @return the current kernel, the default */
    public static KernelProfile current() {
        return V6_8;
    }

    /**
     * @param name {@code 4.14}, {@code 5.10}, {@code 6.8} or {@code current}
     * @return the profile
     * @throws IllegalArgumentException for any other name
     */
    public static KernelProfile parse(String name) {
        String n = name.toLowerCase(Locale.ROOT).trim();
        if (n.equals("current") || n.equals("6") || n.equals("6.x")) {
            return current();
        }
        for (KernelProfile p : values()) {
            if (p.version.equals(n) || p.release.startsWith(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown kernel profile '" + name + "' (4.14, 5.10 or 6.8)");
    }

    /** @return whether {@code register_jprobe} works (it was disabled in 4.15 and removed in 4.18) */
    public boolean jprobes() {
        return this == V4_14;
    }

    /** @return whether {@code kprobe::fault_handler} exists (removed in 5.14) */
    public boolean faultHandler() {
        return this != V6_8;
    }

    /** @return whether syscalls are pt_regs wrappers ({@code __x64_sys_*}, since 4.17) */
    public boolean syscallWrappers() {
        return this != V4_14;
    }

    /** @return whether unwinders resolve kretprobe trampolines ({@code CONFIG_ARCH_CORRECT_STACKTRACE_ON_KRETPROBE}, 5.15+) */
    public boolean correctStacktraceOnKretprobe() {
        return this == V6_8;
    }

    /**
     * @return whether {@code bpf_trace_printk} prints through {@code trace_printk()}'s buffers, allocating
     *     them (with the NOTICE banner) when a program using it loads: before 5.9's dedicated event
     */
    public boolean bpfTracePrintkUsesTracePrintk() {
        return this == V4_14;
    }

    /** @return whether {@code bpf_trace_vprintk} (5.16) exists, so {@code bpf_printk} takes more than 3 arguments */
    public boolean bpfTraceVprintk() {
        return this == V6_8;
    }

    /**
     * @return whether the BPF verifier tags ring-buffer memory {@code MEM_RINGBUF} (6.1), so that the pointer
     *     {@code bpf_ringbuf_reserve} returns shows as {@code ringbuf_mem_or_null} rather than 5.8's
     *     {@code mem_or_null}
     */
    public boolean bpfMemRingbuf() {
        return this == V6_8;
    }

    /** @return whether kernel/kprobes.c prefixes its messages with {@code "kprobes: "} */
    public boolean kprobesMessagePrefix() {
        return this == V6_8;
    }

    /**
     * The kretprobe maxactive used when a kretprobe asks for none.
     *
     * @param cpus {@code num_possible_cpus()}
     * @param preemption {@code CONFIG_PREEMPTION}
     * @return {@code max(10, 2 * cpus)}; before 6.0 without preemption just {@code cpus}
     */
    public int defaultMaxactive(int cpus, boolean preemption) {
        if (this == V6_8 || preemption) {
            return Math.max(10, 2 * cpus);
        }
        return cpus;
    }

    /**
     * This kernel's name for a function of the current kernel.
     *
     * @param arch the architecture
     * @param name the current kernel's name
     * @return the name here
     */
    public String symbol(Arch arch, String name) {
        String sysPrefix = ImageCatalog.syscall(arch, "");
        if (this == V4_14 && name.startsWith(sysPrefix)) {
            return (arch == Arch.X86_64 ? "SyS_" : "sys_") + name.substring(sysPrefix.length());
        }
        Map<String, String> renames = switch (this) {
            case V4_14 -> Map.of("kernel_clone", "_do_fork", "_printk", "printk", "kmalloc_trace",
                    "kmem_cache_alloc_trace", "__kretprobe_trampoline", "kretprobe_trampoline",
                    "do_execveat_common.isra.0", "do_execveat_common.isra.34", "exc_page_fault", "do_page_fault",
                    "vprintk_store", "log_store", "finish_task_switch.isra.0", "finish_task_switch");
            case V5_10 -> Map.of("_printk", "printk", "kmalloc_trace", "kmem_cache_alloc_trace",
                    "__kretprobe_trampoline", "kretprobe_trampoline");
            case V6_8 -> Map.of();
        };
        return renames.getOrDefault(name, name);
    }
}
