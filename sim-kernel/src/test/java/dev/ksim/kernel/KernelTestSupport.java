package dev.ksim.kernel;

import org.junit.jupiter.api.AfterEach;

/** A kernel booted per test and closed after it. */
public abstract class KernelTestSupport {
    /** The kernel of the running test, once {@link #boot} was called. */
    protected SimKernel k;

    /**
     * Boots a 2-CPU kernel of the architecture.
     *
     * @param arch the architecture
     * @return the kernel
     */
    protected SimKernel boot(Arch arch) {
        return boot(BootOptions.defaults().withArch(arch).withCpus(2));
    }

    /**
     * Boots a kernel.
     *
     * @param options how
     * @return the kernel
     */
    protected SimKernel boot(BootOptions options) {
        k = SimKernel.boot(options);
        return k;
    }

    @AfterEach
    void closeKernel() {
        if (k != null) {
            k.close();
        }
    }

    /** @param symbol a symbol @return its address */
    protected long addr(String symbol) {
        return k.text().lookupName(symbol).address();
    }
}
