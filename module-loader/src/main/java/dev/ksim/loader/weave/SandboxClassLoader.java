package dev.ksim.loader.weave;

/**
 * The parent of every module class loader: lets through the JDK, the SDK and the woven-code runtime and
 * nothing else, so a module cannot reach the simulator's classes even by name at run time. (The
 * link-time check, {@code Linker}, is what refuses a module with {@code Unknown symbol}; this is the
 * second line.)
 */
public final class SandboxClassLoader extends IsolatedClassLoader {
    static {
        registerAsParallelCapable();
    }

    private static final String WOVEN = Woven.class.getName();
    private static final String BLOCKING_CALLS = BlockingCalls.class.getName();

    /** @param host the loader that has the JDK, the SDK and the runtime */
    public SandboxClassLoader(ClassLoader host) {
        super("ksim-module-sandbox", host);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith("java.") || name.startsWith("dev.ksim.sdk.") || name.equals(WOVEN)
                || name.equals(BLOCKING_CALLS)) {
            return super.loadClass(name, resolve);
        }
        throw new ClassNotFoundException(name);
    }
}
