package dev.ksim.cli.shell;

import dev.ksim.cli.KsimEnv;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.fs.Vfs;
import dev.ksim.loader.LoaderOptions;
import dev.ksim.loader.ModuleLoader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A booted kernel with its module loader and the programs ksim's commands run as ({@code /sbin/insmod},
 * {@code /bin/dmesg}, …), shared by every session on it.
 */
public final class KernelHost implements AutoCloseable {
    /** Programs that exist in the simulated file system so commands can exec them. */
    private static final List<String> PROGRAMS = List.of("/sbin/insmod", "/sbin/rmmod", "/sbin/lsmod", "/sbin/modprobe",
            "/sbin/modinfo", "/bin/dmesg", "/sbin/bpftool", "/bin/uname", "/bin/true", "/bin/false");

    private final SimKernel kernel;
    private final ModuleLoader loader;
    private final KernelSpec spec;
    private final KsimEnv env;

    private KernelHost(SimKernel kernel, ModuleLoader loader, KernelSpec spec, KsimEnv env) {
        this.kernel = kernel;
        this.loader = loader;
        this.spec = spec;
        this.env = env;
    }

    /**
     * Boots a kernel.
     *
     * @param spec which kernel
     * @param env the paths
     * @return the running kernel
     */
    public static KernelHost boot(KernelSpec spec, KsimEnv env) {
        SimKernel k = SimKernel.boot(spec.bootOptions());
        ModuleLoader l = ModuleLoader.attach(k, LoaderOptions.defaults().withSigning(spec.signing())
                .withMirrorToSlf4j(Boolean.getBoolean("ksim.slf4j")));
        Vfs vfs = k.vfs();
        for (String p : PROGRAMS) {
            if (vfs.lookup(p) == null) {
                vfs.create(p, 0755);
                vfs.write(vfs.lookup(p), "\177ELF".getBytes(StandardCharsets.ISO_8859_1), false);
            }
        }
        return new KernelHost(k, l, spec, env);
    }

    /** @return the kernel */
    public SimKernel kernel() {
        return kernel;
    }

    /** @return its module loader */
    public ModuleLoader loader() {
        return loader;
    }

    /** @return how it was booted */
    public KernelSpec spec() {
        return spec;
    }

    /** @return the paths */
    public KsimEnv env() {
        return env;
    }

    @Override
    public void close() {
        kernel.close();
    }
}
