package dev.ksim.test;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Installs a {@link MockKernel} for each test (bound to the test's thread from before {@code @BeforeEach}
 * methods to after {@code @AfterEach} ones) and injects it as a parameter:
 *
 * <pre>{@code
 * @ExtendWith(MockKernelExtension.class)
 * class MyModuleUnitTest {
 *     @Test
 *     void registersOnOpen(MockKernel k) {
 *         assertEquals(0, new MyModule().init());
 *         verify(k.services()).register_kprobe(argThat(p -> "do_sys_openat2".equals(p.symbol_name)));
 *     }
 * }
 * }</pre>
 */
public final class MockKernelExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(MockKernelExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put(MockKernel.class, MockKernel.install());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        MockKernel k = context.getStore(NS).remove(MockKernel.class, MockKernel.class);
        if (k != null) {
            k.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MockKernel.class && context.getTestMethod().isPresent();
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NS).get(MockKernel.class, MockKernel.class);
    }
}
