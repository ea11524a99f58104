package dev.ksim.loader.weave;

import dev.ksim.kernel.text.KFunction;
import dev.ksim.sdk.spi.KernelServices;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One module's class loader: defines the module's (woven) classes, takes classes it imports from the
 * modules that export them, and sees nothing else but what {@link SandboxClassLoader} lets through.
 * When the module is unloaded nothing refers to it any more and it is collected with its classes.
 */
public final class ModuleClassLoader extends IsolatedClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> classes;
    private final Map<String, ClassLoader> imports;
    private volatile KFunction[] functions = new KFunction[0];
    private volatile KernelServices services;

    /**
     * @param module the module's name
     * @param classes its woven class files by binary name
     * @param imports classes of other modules it links against: binary name → their loader
     * @param parent the sandbox
     */
    public ModuleClassLoader(String module, Map<String, byte[]> classes, Map<String, ClassLoader> imports,
            ClassLoader parent) {
        super("module:" + module, parent);
        this.classes = new ConcurrentHashMap<>(classes);
        this.imports = Map.copyOf(imports);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                byte[] b = classes.remove(name);
                if (b != null) {
                    c = defineClass(name, b, 0, b.length);
                } else {
                    ClassLoader from = imports.get(name);
                    c = from != null ? from.loadClass(name) : getParent().loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }


    /** @param fns the module's functions, indexed as the woven code numbers them */
    public void setFunctions(KFunction[] fns) {
        this.functions = fns.clone();
    }

    /** @param fn a woven function number @return the function, or null */
    KFunction function(int fn) {
        KFunction[] f = functions;
        return fn < f.length ? f[fn] : null;
    }

    /** @param s the kernel services the module's code is bound to while it runs */
    public void setServices(KernelServices s) {
        this.services = s;
    }

    /** @return the module's kernel services */
    KernelServices services() {
        return services;
    }
}
