package dev.ksim.sdk.spi;

import java.util.ServiceLoader;

/**
 * Which kernel the SDK's static functions talk to, per thread.
 *
 * <p>A simulated kernel binds itself to the threads that run its CPUs and to module init/exit, so
 * module code never needs to name it. A unit test binds a mock:
 *
 * <pre>{@code
 * KernelServices kernel = mock(KernelServices.class);
 * try (var scope = KernelBinding.bind(kernel)) {
 *     new MyModule().init();
 * }
 * verify(kernel).register_kprobe(argThat(p -> "do_sys_openat2".equals(p.symbol_name)));
 * }</pre>
 *
 * <p>An unbound thread gets the first {@link KernelServicesProvider}'s default kernel; with none, a
 * kernel built without kprobes: registration returns {@code -ENOSYS} and printk goes to standard error.
 */
public final class KernelBinding {
    /** The kernel bound to each thread; written only by the owning thread. */
    private static final ThreadLocal<KernelServices> BOUND = new ThreadLocal<>();

    private KernelBinding() {
    }

    /** A binding that restores the previous one when closed. */
    public interface Scope extends AutoCloseable {
        /** Restores the binding that was in place before. */
        @Override
        void close();
    }

    /**
     * Binds a kernel to the calling thread until the returned scope is closed.
     *
     * @param kernel the kernel (or mock) to use
     * @return a scope to close, typically in try-with-resources
     */
    public static Scope bind(KernelServices kernel) {
        KernelServices previous = BOUND.get();
        BOUND.set(kernel);
        return () -> {
            if (previous == null) {
                BOUND.remove();
            } else {
                BOUND.set(previous);
            }
        };
    }

    /** @return the kernel bound to the calling thread, or {@code null} */
    public static KernelServices bound() {
        return BOUND.get();
    }

    /** @return the kernel for the calling thread: its binding, else the provider's default, else a stub */
    public static KernelServices current() {
        KernelServices k = BOUND.get();
        if (k != null) {
            return k;
        }
        k = Providers.defaultKernel();
        return k != null ? k : NoKernel.INSTANCE;
    }

    /** Lazily loaded providers: the holder idiom keeps ServiceLoader off the bound-thread path. */
    private static final class Providers {
        private static final KernelServicesProvider[] ALL = ServiceLoader.load(KernelServicesProvider.class,
                        KernelBinding.class.getClassLoader())
                .stream()
                .map(ServiceLoader.Provider::get)
                .toArray(KernelServicesProvider[]::new);

        static KernelServices defaultKernel() {
            for (KernelServicesProvider p : ALL) {
                KernelServices k = p.defaultKernel();
                if (k != null) {
                    return k;
                }
            }
            return null;
        }
    }
}
