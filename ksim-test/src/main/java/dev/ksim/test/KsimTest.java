package dev.ksim.test;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.KernelProfile;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Boots a simulated kernel for a test and injects it as a {@link TestKernel} parameter.
 *
 * <pre>{@code
 * @KsimTest(cpus = 2)
 * class MyModuleTest {
 *     @Test
 *     void printsOnFork(TestKernel k) {
 *         k.insmod(MyModule.class, "symbol=kernel_clone");
 *         k.shell().fork();
 *         k.dmesg().containsLineMatching("handler_pre: <kernel_clone> .*");
 *     }
 * }
 * }</pre>
 *
 * <p>On a class, it configures every test's kernel; on a method, it overrides the class's settings for that
 * test. With {@link Lifecycle#PER_CLASS} the tests of the class share one kernel, booted before the first
 * and halted after the last (set it on the class).
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KernelExtension.class)
public @interface KsimTest {

    /** @return the number of CPUs (1–64) */
    int cpus() default 4;

    /** @return the architecture */
    Arch arch() default Arch.X86_64;

    /** @return the kernel version simulated */
    KernelProfile kernel() default KernelProfile.V6_8;

    /** @return the seed of everything random in the kernel (the {@code %p} hash key, the scheduler) */
    long seed() default 0;

    /**
     * @return true to run the CPUs under the seeded scheduler on a virtual clock: the same seed gives the
     *     same interleaving and the same dmesg, byte for byte
     */
    boolean deterministic() default false;

    /** @return {@code CONFIG_PREEMPTION} */
    boolean preemption() default true;

    /** @return {@code CONFIG_KPROBES}; when false the kprobes API returns {@code -ENOSYS} */
    boolean kprobes() default true;

    /** @return whether each test gets its own kernel or the class's tests share one */
    Lifecycle lifecycle() default Lifecycle.PER_TEST;

    /** How long a booted kernel lives. */
    enum Lifecycle {
        /** A fresh kernel for every test (it boots in milliseconds). */
        PER_TEST,
        /** One kernel for all the tests of the class. */
        PER_CLASS
    }
}
