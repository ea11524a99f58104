package dev.ksim.test;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link KsimTest}: boots the kernel the annotation describes, resolves
 * {@link TestKernel} parameters (of test methods, lifecycle methods and constructors), and halts the kernel
 * when its test (or class) ends. Use it through {@link KsimTest} or {@code @ExtendWith(KernelExtension.class)}
 * (then with the default settings).
 */
public final class KernelExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(KernelExtension.class);
    private static final String KEY = "kernel";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestKernel.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        KsimTest config = configOf(context);
        ExtensionContext owner = config.lifecycle() == KsimTest.Lifecycle.PER_CLASS || context.getTestMethod().isEmpty()
                ? classContext(context) : context;
        if (owner == null) {
            throw new ParameterResolutionException("no test class to boot a kernel for");
        }
        return owner.getStore(NS).getOrComputeIfAbsent(KEY, key -> new Booted(boot(config)), Booted.class).kernel;
    }

    /** @return the options a {@link KsimTest} annotation asks for */
    static BootOptions optionsOf(KsimTest config) {
        BootOptions o = BootOptions.defaults().withArch(config.arch()).withCpus(config.cpus())
                .withProfile(config.kernel()).withPreemption(config.preemption()).withKprobes(config.kprobes());
        return config.deterministic() ? o.deterministic(config.seed()) : o.withSeed(config.seed());
    }

    private static TestKernel boot(KsimTest config) {
        return new TestKernel(SimKernel.boot(optionsOf(config)));
    }

    /** The method's annotation, else the class's (or an enclosing class's), else the defaults. */
    private static KsimTest configOf(ExtensionContext context) {
        Optional<KsimTest> onMethod = context.getTestMethod().flatMap(KernelExtension::find);
        if (onMethod.isPresent()) {
            return onMethod.get();
        }
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
            Optional<KsimTest> onClass = find(c);
            if (onClass.isPresent()) {
                return onClass.get();
            }
        }
        return Defaults.class.getAnnotation(KsimTest.class);
    }

    private static Optional<KsimTest> find(AnnotatedElement e) {
        return AnnotationSupport.findAnnotation(e, KsimTest.class);
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestMethod().isEmpty() && c.getTestClass().isPresent()) {
                return c;
            }
        }
        return null;
    }

    /** Closes the kernel when JUnit closes the store it lives in (the end of its test or class). */
    private record Booted(TestKernel kernel) implements AutoCloseable {
        @Override
        public void close() {
            kernel.close();
        }
    }

    /** Carries the default settings. */
    @KsimTest
    private static final class Defaults {
    }
}
