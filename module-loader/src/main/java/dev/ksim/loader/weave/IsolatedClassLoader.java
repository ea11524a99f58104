package dev.ksim.loader.weave;

/**
 * A class loader with no class path of its own and no resources: what it defines or lets through is
 * decided in {@link #loadClass(String, boolean)} by its subclass.
 */
abstract class IsolatedClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    /**
     * @param name the loader's name
     * @param parent its parent
     */
    IsolatedClassLoader(String name, ClassLoader parent) {
        super(name, parent);
    }

    @Override
    protected final Class<?> findClass(String name) throws ClassNotFoundException {
        throw new ClassNotFoundException(name);
    }

    @Override
    public final java.net.URL getResource(String name) {
        return null;
    }
}
