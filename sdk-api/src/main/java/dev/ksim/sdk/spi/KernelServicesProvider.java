package dev.ksim.sdk.spi;

/**
 * Finds the kernel for code that runs on no simulated CPU and has no binding: implementations are
 * listed in {@code META-INF/services/dev.ksim.sdk.spi.KernelServicesProvider} and found with
 * {@link java.util.ServiceLoader}, as SLF4J finds its providers.
 */
public interface KernelServicesProvider {

    /** @return the kernel to use for an unbound thread, or {@code null} if there is none */
    KernelServices defaultKernel();
}
