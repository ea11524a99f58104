package dev.ksim.loader;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.loader.image.JavaSourceCompiler;
import dev.ksim.loader.image.ModuleImage;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** A kernel with a module loader per test, and modules compiled from source text. */
abstract class LoaderTestSupport {
    protected SimKernel k;
    protected ModuleLoader loader;

    protected ModuleLoader boot() {
        return boot(LoaderOptions.defaults().withMirrorToSlf4j(false));
    }

    protected ModuleLoader boot(LoaderOptions options) {
        k = SimKernel.boot(BootOptions.defaults().withCpus(2));
        loader = ModuleLoader.attach(k, options);
        return loader;
    }

    @AfterEach
    void closeKernel() {
        if (k != null) {
            k.close();
        }
    }

    /**
     * Compiles a single-file module.
     *
     * @param name the module's name (the file is {@code name.java})
     * @param source the source; {@code import dev.ksim.sdk.*} and the static imports of Kprobes and Printk
     *        are added
     * @return the module
     */
    static ModuleImage module(String name, String source) {
        String src = "import dev.ksim.sdk.*;\nimport static dev.ksim.sdk.Kprobes.*;\nimport static dev.ksim.sdk.Printk.*;\n"
                + source;
        try {
            Map<String, byte[]> classes = JavaSourceCompiler.compile(name + ".java", src,
                    JavaSourceCompiler.defaultClasspath(), Map.of());
            return ModuleImage.of(name, name + ".java", classes, null);
        } catch (Exception e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** @return the kernel log's messages, one per line */
    String log() {
        return k.log().messages();
    }
}
