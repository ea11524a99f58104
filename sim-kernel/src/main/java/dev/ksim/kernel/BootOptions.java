package dev.ksim.kernel;

/**
 * How a simulated kernel boots. Immutable; each {@code with…} method returns a copy.
 *
 * <pre>{@code
 * try (SimKernel k = SimKernel.boot(BootOptions.defaults().withArch(Arch.ARM64).withCpus(2))) { … }
 * }</pre>
 *
 * @param arch the architecture (default x86_64)
 * @param cpus the number of CPUs (default 4, 1–64)
 * @param seed seeds everything random in the kernel (the %p hash key, …); same seed, same output
 * @param configKprobes {@code CONFIG_KPROBES}; when false the kprobe API returns -ENOSYS
 * @param maxInsnPages instruction-slot pages kprobes may allocate before -ENOMEM
 * @param logBufShift {@code CONFIG_LOG_BUF_SHIFT}: the log buffer holds 2^shift bytes
 * @param profile the kernel version simulated (default: the current kernel)
 * @param preemption {@code CONFIG_PREEMPTION} (default on); matters for old profiles' kretprobe maxactive
 * @param deterministic run CPUs under a seeded scheduler with virtual time (see
 *     {@link dev.ksim.kernel.cpu.DeterministicScheduler}); same seed, same interleaving
 */
public record BootOptions(Arch arch, int cpus, long seed, boolean configKprobes, int maxInsnPages, int logBufShift,
        KernelProfile profile, boolean preemption, boolean deterministic) {
    /** The release of the default (current) kernel profile ({@code uname -r}). */
    public static final String RELEASE = KernelProfile.current().release;

    public BootOptions {
        if (arch == null) {
            throw new IllegalArgumentException("arch must be x86_64 or arm64");
        }
        if (cpus < 1 || cpus > 64) {
            throw new IllegalArgumentException("cpus must be 1..64, got " + cpus);
        }
        if (maxInsnPages < 1) {
            throw new IllegalArgumentException("maxInsnPages must be positive");
        }
        if (logBufShift < 12 || logBufShift > 25) {
            throw new IllegalArgumentException("logBufShift must be 12..25");
        }
        if (profile == null) {
            throw new IllegalArgumentException("profile must be 4.14, 5.10 or 6.8");
        }
    }

    /** @return x86_64, 4 CPUs, seed 0, kprobes enabled */
    public static BootOptions defaults() {
        return new BootOptions(Arch.X86_64, 4, 0, true, 1 << 16, 17, KernelProfile.current(), true, false);
    }

    /** @param a architecture @return a copy with it */
    public BootOptions withArch(Arch a) {
        return new BootOptions(a, cpus, seed, configKprobes, maxInsnPages, logBufShift, profile, preemption, deterministic);
    }

    /** @param n CPU count @return a copy with it */
    public BootOptions withCpus(int n) {
        return new BootOptions(arch, n, seed, configKprobes, maxInsnPages, logBufShift, profile, preemption, deterministic);
    }

    /** @param s the seed @return a copy with it */
    public BootOptions withSeed(long s) {
        return new BootOptions(arch, cpus, s, configKprobes, maxInsnPages, logBufShift, profile, preemption, deterministic);
    }

    /** @param on {@code CONFIG_KPROBES} @return a copy with it */
    public BootOptions withKprobes(boolean on) {
        return new BootOptions(arch, cpus, seed, on, maxInsnPages, logBufShift, profile, preemption, deterministic);
    }

    /** @param pages instruction-slot page limit @return a copy with it */
    public BootOptions withMaxInsnPages(int pages) {
        return new BootOptions(arch, cpus, seed, configKprobes, pages, logBufShift, profile, preemption, deterministic);
    }

    /** @param p the kernel profile @return a copy with it */
    public BootOptions withProfile(KernelProfile p) {
        return new BootOptions(arch, cpus, seed, configKprobes, maxInsnPages, logBufShift, p, preemption, deterministic);
    }

    /** @param on {@code CONFIG_PREEMPTION} @return a copy with it */
    public BootOptions withPreemption(boolean on) {
        return new BootOptions(arch, cpus, seed, configKprobes, maxInsnPages, logBufShift, profile, on, deterministic);
    }

    /**
     * @param seed the scheduler's seed (also the kernel's seed)
     * @return a copy that runs deterministically with that seed
     */
    public BootOptions deterministic(long seed) {
        return new BootOptions(arch, cpus, seed, configKprobes, maxInsnPages, logBufShift, profile, preemption, true);
    }

    /** @param shift log buffer size as a power of two @return a copy with it */
    public BootOptions withLogBufShift(int shift) {
        return new BootOptions(arch, cpus, seed, configKprobes, maxInsnPages, shift, profile, preemption, deterministic);
    }
}
