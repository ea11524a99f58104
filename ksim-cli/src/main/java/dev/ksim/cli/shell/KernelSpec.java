package dev.ksim.cli.shell;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.loader.ModuleSigning;
import java.util.List;

/**
 * Which kernel {@code run}, {@code shell} and {@code boot} start: architecture, CPUs, kernel profile,
 * seed and module signature checking.
 *
 * @param arch the architecture
 * @param cpus the number of CPUs
 * @param profile the kernel profile ({@code 6.8})
 * @param seed the seed of everything random in the kernel
 * @param signing module signature checking
 */
public record KernelSpec(Arch arch, int cpus, String profile, long seed, ModuleSigning signing) {
    /** The kernel profiles this build can boot. */
    public static final List<String> PROFILES = List.of("6.8");

    /** @return x86_64, 4 CPUs, 6.8, seed 0, permissive signing */
    public static KernelSpec defaults() {
        return new KernelSpec(Arch.X86_64, 4, "6.8", 0, ModuleSigning.PERMISSIVE);
    }

    /**
     * Checks a profile name.
     *
     * @param name as given ({@code 6.8} or the release {@code 6.8.0-ksim})
     * @return the profile
     * @throws IllegalArgumentException with the message to show if there is no such profile
     */
    public static String profile(String name) {
        if (name.equals(BootOptions.RELEASE) || PROFILES.contains(name)) {
            return "6.8";
        }
        throw new IllegalArgumentException("unknown kernel profile '" + name + "' (available: "
                + String.join(", ", PROFILES) + ")");
    }

    /** @return the boot options */
    public BootOptions bootOptions() {
        return BootOptions.defaults().withArch(arch).withCpus(cpus).withSeed(seed);
    }

    /** @return the arguments that boot the same kernel ({@code --arch … --cpus …}) */
    public List<String> toArgs() {
        return List.of("--arch", arch.name().toLowerCase(java.util.Locale.ROOT), "--cpus", String.valueOf(cpus),
                "--kernel", profile, "--seed", String.valueOf(seed), "--module-sig",
                switch (signing) {
                    case OFF -> "off";
                    case PERMISSIVE -> "on";
                    case ENFORCE -> "force";
                });
    }
}
