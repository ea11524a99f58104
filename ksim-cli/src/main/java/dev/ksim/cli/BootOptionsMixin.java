package dev.ksim.cli;

import dev.ksim.cli.shell.KernelSpec;
import dev.ksim.kernel.Arch;
import dev.ksim.loader.ModuleSigning;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The boot options {@code run}, {@code shell} and {@code boot} share. */
public final class BootOptionsMixin {
    @Spec(Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--cpus", paramLabel = "N", description = "number of CPUs, 1-64 (default: ${DEFAULT-VALUE})")
    int cpus = 4;

    @Option(names = "--arch", paramLabel = "ARCH", description = "x86_64 or arm64 (default: ${DEFAULT-VALUE})")
    String arch = "x86_64";

    @Option(names = "--kernel", paramLabel = "PROFILE", description = "kernel version: 4.14, 5.10 or 6.8 (default)")
    String profile = "6.8";

    @Option(names = "--seed", paramLabel = "S", description = "seed of everything random in the kernel (default: 0)")
    long seed;

    @Option(names = "--module-sig", paramLabel = "MODE",
            description = "module signature checking: off, on (unsigned modules taint E; default) or force")
    String signing = "on";

    /** For picocli. */
    public BootOptionsMixin() {
    }

    /**
     * @return the kernel these options describe
     * @throws CommandLine.ParameterException (a usage error) for a bad value
     */
    public KernelSpec toSpec() {
        Arch a;
        try {
            a = Arch.parse(arch);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown architecture '" + arch + "' (use x86_64 or arm64)");
        }
        if (cpus < 1 || cpus > 64) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cpus must be 1..64, got " + cpus);
        }
        dev.ksim.kernel.KernelProfile p;
        try {
            p = KernelSpec.profile(profile);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ModuleSigning s = switch (signing) {
            case "off" -> ModuleSigning.OFF;
            case "on" -> ModuleSigning.PERMISSIVE;
            case "force" -> ModuleSigning.ENFORCE;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown --module-sig mode '" + signing + "' (use off, on or force)");
        };
        return new KernelSpec(a, cpus, p, seed, s);
    }
}
