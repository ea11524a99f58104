package dev.ksim.kernel;

import dev.ksim.sdk.spi.KernelServices;
import dev.ksim.sdk.spi.KernelServicesProvider;

/** The SPI provider: a thread bound to no kernel talks to the newest kernel booted in this JVM. */
public final class SimKernelProvider implements KernelServicesProvider {
    /** For ServiceLoader. */
    public SimKernelProvider() {
    }

    @Override
    public KernelServices defaultKernel() {
        return SimKernel.newest();
    }
}
