package dev.ksim.cli.shell;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelProfile;
import dev.ksim.loader.ModuleSigning;
import java.util.List;

/**
 * Which kernel {@code run}, {@code shell} and {@code boot} start: architecture, CPUs, kernel profile,
 * seed and module signature checking.
 *
 * @param arch the architecture
 * @param cpus the number of CPUs
 * @param profile the kernel version simulated
 * @param seed the seed of everything random in the kernel
 * @param signing module signature checking
 */
public record KernelSpec(Arch arch, int cpus, KernelProfile profile, long seed, ModuleSigning signing) {
    /** @return x86_64, 4 CPUs, the current kernel (6.8), seed 0, permissive signing */
    public static KernelSpec defaults() {
        return new KernelSpec(Arch.X86_64, 4, KernelProfile.current(), 0, ModuleSigning.PERMISSIVE);
    }

    /**
     * Checks a profile name.
     *
     * @param name as given: {@code 4.14}, {@code 5.10}, {@code 6.8}, {@code current} or a release
     * @return the profile
     * @throws IllegalArgumentException with the message to show if there is no such profile
     */
    public static KernelProfile profile(String name) {
        return KernelProfile.parse(name);
    }

    /** @return the boot options */
    public BootOptions bootOptions() {
        return BootOptions.defaults().withArch(arch).withCpus(cpus).withSeed(seed).withProfile(profile);
    }

    /** @return {@code uname -r} of this kernel */
    public String release() {
        return profile.release;
    }

    /** @return the arguments that boot the same kernel ({@code --arch … --cpus …}) */
    public List<String> toArgs() {
        return List.of("--arch", arch.name().toLowerCase(java.util.Locale.ROOT), "--cpus", String.valueOf(cpus),
                "--kernel", profile.version, "--seed", String.valueOf(seed), "--module-sig",
                switch (signing) {
                    case OFF -> "off";
                    case PERMISSIVE -> "on";
                    case ENFORCE -> "force";
                });
    }
}
