package dev.ksim.loader;

import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.Task;
import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.kernel.cpu.Unwind;
import dev.ksim.kernel.image.ImageCatalog;
import dev.ksim.kernel.text.Body;
import dev.ksim.kernel.text.FnAttr;
import dev.ksim.kernel.text.FunctionDef;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.kernel.text.ModuleFunctions;
import dev.ksim.kernel.text.ModuleText;
import dev.ksim.loader.image.ModuleImage;
import dev.ksim.loader.kmsg.KmsgAttribution;
import dev.ksim.loader.kmsg.Slf4jKmsgMirror;
import dev.ksim.loader.link.ExportPolicy;
import dev.ksim.loader.link.Linker;
import dev.ksim.loader.params.BoundParam;
import dev.ksim.loader.params.ParseArgs;
import dev.ksim.loader.sysfs.ModuleViews;
import dev.ksim.loader.weave.ModuleClassLoader;
import dev.ksim.loader.weave.SandboxClassLoader;
import dev.ksim.loader.weave.Weaver;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.KernelModule;
import dev.ksim.loader.image.ParamSpec;
import dev.ksim.sdk.spi.KernelBinding;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The kernel's module loader ({@code kernel/module/main.c}) for one simulated kernel: what
 * {@code finit_module(2)} and {@code delete_module(2)} do, with the kernel's checks, errnos and messages.
 *
 * <p>Loading runs on a CPU as the loading task, through the kernel's own functions
 * ({@code __x64_sys_finit_module → load_module → do_init_module → do_one_initcall → init}), so probes on
 * them fire and an oops in a module's init shows the real call chain. It checks the name
 * ({@code -EEXIST}), taints the kernel (O, P, E), resolves the module's symbols ({@code Unknown symbol},
 * {@code -ENOENT}; the kprobes API is GPL-only), defines the module's classes in their own class loader,
 * woven so each method is module text, announces the module to kprobes (COMING), parses its parameters,
 * creates its sysfs directory and runs its init: a negative return unloads it and is the load's result, a
 * positive one is warned about, 0 makes it LIVE. Unloading checks holders, state, exit and references
 * ({@code -EWOULDBLOCK}, {@code -EBUSY}; {@code force} overrides the last two and taints R), runs exit,
 * removes any probe the module leaked, kills probes on its text (GONE) and frees it, after which its class
 * loader is garbage.
 *
 * <pre>{@code
 * ModuleLoader loader = ModuleLoader.attach(kernel, LoaderOptions.defaults());
 * int err = loader.insmod(ModuleFiles.read(Path.of("kprobe_example.jar"), "kprobe_example.jar"), "symbol=vfs_read");
 * loader.rmmod("kprobe_example", false);
 * }</pre>
 */
public final class ModuleLoader {
    private static final Object[] NO_ARGS = new Object[0];

    private final SimKernel k;
    private final LoaderOptions options;
    private final ModuleRegistry registry = new ModuleRegistry();
    private final LoadTaints taints;
    private final ModuleViews views;
    private final KmsgAttribution attribution;
    private final SandboxClassLoader sandbox = new SandboxClassLoader(ModuleLoader.class.getClassLoader());
    /** The request of the system call the calling thread is making. */
    private final ThreadLocal<Request> pending = new ThreadLocal<>();
    /** {@code module_mutex}: serialises the checks and state changes of loads and unloads. */
    private final Object moduleMutex = new Object();
    private final KFunction sysFinit;
    private final KFunction loadModule;
    private final KFunction doInitModule;
    private final KFunction doOneInitcall;
    private final KFunction sysDelete;
    private final KFunction freeModule;
    /** {@code last_unloaded_module}: name and flags, for {@code Modules linked in:}. */
    private volatile String lastUnloaded;

    /** A module system call in progress on this thread. */
    private static final class Request {
        final ModuleImage image;
        final String args;
        final String name;
        final boolean force;
        LoadedModule module;

        Request(ModuleImage image, String args, String name, boolean force) {
            this.image = image;
            this.args = args;
            this.name = name;
            this.force = force;
        }
    }

    /** A body of one of the loader's kernel functions; marks the function as bound to this loader. */
    private record Bound(ModuleLoader loader, Body body) implements Body {
        @Override
        public long run(Cpu cpu) {
            return body.run(cpu);
        }
    }

    private ModuleLoader(SimKernel k, LoaderOptions options) {
        this.k = k;
        this.options = options;
        this.taints = new LoadTaints(k, options.signing());
        this.views = new ModuleViews(k.vfs());
        this.attribution = new KmsgAttribution(k.log().buffer());
        this.sysFinit = k.functionOf(ImageCatalog.syscall(k.arch(), "finit_module"));
        this.loadModule = k.functionOf("load_module");
        this.doInitModule = k.functionOf("do_init_module");
        this.doOneInitcall = k.functionOf("do_one_initcall");
        this.sysDelete = k.functionOf(ImageCatalog.syscall(k.arch(), "delete_module"));
        this.freeModule = k.functionOf("free_module");
    }

    /**
     * The module loader of a kernel, created on first use: binds the kernel's module system calls, mounts
     * {@code /proc/modules}, and (if asked) mirrors the kernel log to SLF4J.
     *
     * @param k the kernel
     * @param options how to load modules (ignored if the kernel already has a loader)
     * @return the kernel's loader
     */
    public static ModuleLoader attach(SimKernel k, LoaderOptions options) {
        synchronized (k) {
            KFunction finit = k.functionOf(ImageCatalog.syscall(k.arch(), "finit_module"));
            if (finit.body() instanceof Bound b) {
                return b.loader;
            }
            ModuleLoader l = new ModuleLoader(k, options);
            l.bindBodies();
            l.views.mountProcModules(l.registry::formed);
            k.setModulesLinkedIn(l::modulesLinkedIn);
            if (options.mirrorToSlf4j()) {
                k.log().buffer().addListener(new Slf4jKmsgMirror(l.attribution), true);
            }
            return l;
        }
    }

    /**
     * @param k the kernel
     * @return its loader, with default options if it had none
     */
    public static ModuleLoader of(SimKernel k) {
        return attach(k, LoaderOptions.defaults());
    }

    private void bindBodies() {
        sysFinit.bind(new Bound(this, cpu -> cpu.call(loadModule, 0, 0, 0)));
        loadModule.bind(new Bound(this, cpu -> load(cpu, pending.get())));
        doInitModule.bind(new Bound(this, cpu -> doInitModule(cpu, pending.get().module)));
        doOneInitcall.bind(new Bound(this, cpu -> callInit(cpu, pending.get().module)));
        sysDelete.bind(new Bound(this, cpu -> delete(cpu, pending.get())));
        freeModule.bind(new Bound(this, cpu -> {
            free(pending.get().module);
            return 0;
        }));
    }

    /** @return the kernel */
    public SimKernel kernel() {
        return k;
    }

    /** @return the options */
    public LoaderOptions options() {
        return options;
    }

    // ================================================================ system calls

    /**
     * {@code finit_module}: loads a module as the init task.
     *
     * @param image the module
     * @param args its parameters as insmod joins them ({@code "symbol=vfs_read verbose=1"})
     * @return 0 or a negative errno
     * @throws TaskKilled if the module's code oopsed (the module stays, half-loaded)
     */
    public int insmod(ModuleImage image, String args) {
        return insmod(image, args, k.initTask());
    }

    /**
     * {@code finit_module} as a given task (the insmod process): the module's init runs as that task.
     *
     * @param image the module
     * @param args its parameters
     * @param task the loading task
     * @return 0 or a negative errno
     * @throws TaskKilled if the module's code oopsed
     */
    public int insmod(ModuleImage image, String args, Task task) {
        return (int) syscall(task, sysFinit, new Request(image, args == null ? "" : args, image.name(), false));
    }

    /**
     * {@code delete_module} as the init task.
     *
     * @param name the module's name (already normalised: underscores)
     * @param force {@code O_TRUNC}: unload even without exit or with references ({@code rmmod -f})
     * @return 0 or a negative errno
     */
    public int rmmod(String name, boolean force) {
        return rmmod(name, force, k.initTask());
    }

    /**
     * {@code delete_module} as a given task.
     *
     * @param name the module's name
     * @param force whether to force
     * @param task the unloading task
     * @return 0 or a negative errno
     * @throws TaskKilled if the module's exit oopsed
     */
    public int rmmod(String name, boolean force, Task task) {
        return (int) syscall(task, sysDelete, new Request(null, null, name, force));
    }

    private long syscall(Task task, KFunction f, Request rq) {
        Request outer = pending.get();
        pending.set(rq);
        try {
            Cpu current = Cpu.current();
            if (current != null) {
                return current.call(f, 0);
            }
            int cpu = task == k.initTask() ? 0 : Math.floorMod(task.pid, k.cpus().size());
            return k.onCpu(cpu, task, () -> Cpu.current().call(f, 0));
        } finally {
            if (outer == null) {
                pending.remove();
            } else {
                pending.set(outer);
            }
        }
    }

    // ================================================================ load

    private long load(Cpu cpu, Request rq) {
        ModuleImage img = rq.image;
        String name = img.name();
        if (options.signing() == ModuleSigning.ENFORCE) {
            k.vprintk("\0015Loading of unsigned module is rejected\n", NO_ARGS);
            return -Errno.EKEYREJECTED;
        }
        LoadedModule m = new LoadedModule(img);
        synchronized (moduleMutex) {
            if (!registry.reserve(m)) {
                return -Errno.EEXIST;
            }
        }
        rq.module = m;
        boolean keep = false;
        try {
            taints.onLoad(m);
            Linker.Result<LoadedModule> link = Linker.link(img, img.meta().gplCompatible(), c -> registry.exporter(c, m));
            if (!link.unknown().isEmpty()) {
                for (String s : link.unknown()) {
                    k.vprintk("\0014%s: Unknown symbol %s (err %d)\n", new Object[] {name, s, -Errno.ENOENT});
                }
                return -Errno.ENOENT;
            }
            String duplicate = duplicateExport(m);
            if (duplicate != null) {
                return -Errno.ENOEXEC;
            }
            for (LoadedModule dep : new LinkedHashSet<>(link.imports().values())) {
                m.addUse(dep);
                views.addHolder(dep.name(), name);
            }
            Weaver.Result woven = Weaver.weave(img.classes());
            Map<String, byte[]> binary = new LinkedHashMap<>();
            woven.classes().forEach((c, b) -> binary.put(c.replace('/', '.'), b));
            Map<String, ClassLoader> imports = new LinkedHashMap<>();
            link.imports().forEach((c, dep) -> imports.put(c.replace('/', '.'), dep.classLoader()));
            ModuleClassLoader cl = new ModuleClassLoader(name, binary, imports, sandbox);
            List<Class<?>> classes = new ArrayList<>();
            Constructor<?> ctor;
            try {
                for (String b : binary.keySet()) {
                    classes.add(Class.forName(b, false, cl));
                }
                ctor = cl.loadClass(img.mainClass().replace('/', '.')).getDeclaredConstructor();
                ctor.setAccessible(true);
            } catch (ReflectiveOperationException | LinkageError e) {
                k.vprintk("\0013%s: %s\n", new Object[] {name, e.toString()});
                return -Errno.ENOEXEC;
            }
            ModuleText mt = k.text().loadModule(name, initText(ModuleFunctions.describe(classes)));
            KFunction[] fns = new KFunction[woven.functions().size()];
            for (int i = 0; i < fns.length; i++) {
                fns[i] = mt.functions.get(woven.functions().get(i));
            }
            cl.setFunctions(fns);
            ModuleServices services = new ModuleServices(k, name, attribution);
            cl.setServices(services);
            m.attach(mt, cl, services);

            // complete_formation, prepare_coming_module: from here the module is visible.
            m.setState(ModuleState.COMING);
            mt.setState(ModuleText.State.COMING);
            k.kprobes().moduleComing(mt);
            keep = true;
            KernelModule instance = instantiate(cpu, ctor, services);
            List<BoundParam> params = new ArrayList<>();
            for (ParamSpec p : img.meta().params()) {
                params.add(new BoundParam(p, instance));
            }
            m.setInstance(instance, params);
            int err = ParseArgs.parse(name, rq.args, params, printk());
            if (err < 0) {
                goingAndFree(cpu, m);
                return err;
            }
            views.add(m, paramFiles(m));
            return cpu.call(doInitModule, 0);
        } finally {
            if (!keep) {
                discard(m);
            }
        }
    }

    /** {@code verify_exported_symbols}: a public class the kernel or a loaded module already exports. */
    private String duplicateExport(LoadedModule m) {
        for (String c : m.image().classes().keySet()) {
            String owner = null;
            if (ExportPolicy.INSTANCE.exportsClass(c) || c.startsWith("java/") || c.startsWith("javax/")
                    || c.startsWith("jdk/") || c.startsWith("sun/")) {
                owner = "kernel";
            } else if (m.exports(c)) {
                LoadedModule other = registry.exporter(c, m);
                owner = other == null ? null : other.name();
            }
            if (owner != null) {
                k.vprintk("\0013%s: exports duplicate symbol %s (owned by %s)\n",
                        new Object[] {m.name(), c.replace('/', '.'), owner});
                return c;
            }
        }
        return null;
    }

    /** A module's {@code init} is {@code __init}: its text is freed once the module is live. */
    private static List<FunctionDef> initText(List<FunctionDef> defs) {
        List<FunctionDef> out = new ArrayList<>(defs.size());
        for (FunctionDef d : defs) {
            if (d.name().equals("init")) {
                EnumSet<FnAttr> attrs = d.attrs().isEmpty() ? EnumSet.noneOf(FnAttr.class) : EnumSet.copyOf(d.attrs());
                attrs.add(FnAttr.INIT_TEXT);
                d = new FunctionDef(d.name(), d.nargs(), d.callees(), d.frameSize(), attrs);
            }
            out.add(d);
        }
        return out;
    }

    private KernelModule instantiate(Cpu cpu, Constructor<?> ctor, ModuleServices services) {
        try (KernelBinding.Scope s = KernelBinding.bind(services)) {
            return (KernelModule) ctor.newInstance();
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw oops(cpu, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        } catch (TaskKilled | Unwind e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw oops(cpu, e);
        }
    }

    private RuntimeException oops(Cpu cpu, Throwable cause) {
        if (cause instanceof TaskKilled t) {
            return t;
        }
        return k.diagnostics().oops(cpu, cause, 0);
    }

    private BiConsumer<String, Object[]> printk() {
        return (fmt, args) -> k.vprintk(fmt, args);
    }

    private List<ModuleViews.ParamFile> paramFiles(LoadedModule m) {
        List<ModuleViews.ParamFile> files = new ArrayList<>();
        for (BoundParam p : m.params()) {
            files.add(new ModuleViews.ParamFile() {
                @Override
                public String name() {
                    return p.spec().name();
                }

                @Override
                public int perm() {
                    return p.spec().perm();
                }

                @Override
                public String read() {
                    return p.get();
                }

                @Override
                public int write(String value) {
                    return p.set(value, printk());
                }
            });
        }
        return files;
    }

    /** {@code do_init_module}. */
    private long doInitModule(Cpu cpu, LoadedModule m) {
        int ret = (int) cpu.call(doOneInitcall, 0);
        if (ret < 0) {
            LeakedProbes.release(k, m, "after its init failed with " + ret);
            goingAndFree(cpu, m);
            return ret == -Errno.EEXIST ? -Errno.EBUSY : ret;
        }
        if (ret > 0) {
            k.vprintk("\0014%s: '%s'->init suspiciously returned %d, it should follow 0/-E convention\n"
                    + "%s: loading module anyway...\n", new Object[] {"do_init_module", m.name(), ret, "do_init_module"});
            k.diagnostics().dumpStack(cpu);
        }
        m.setState(ModuleState.LIVE);
        m.text().setState(ModuleText.State.LIVE);
        k.kprobes().moduleLive(m.text());
        return 0;
    }

    /** {@code do_one_initcall(mod->init)}: the module's init, bound to its services; a fault is an oops. */
    private long callInit(Cpu cpu, LoadedModule m) {
        try (KernelBinding.Scope s = KernelBinding.bind(m.services())) {
            return m.instance().init();
        } catch (TaskKilled | Unwind e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw oops(cpu, e);
        }
    }

    /** The MODULE_STATE_GOING notifier and {@code free_module}, after a failed load. */
    private void goingAndFree(Cpu cpu, LoadedModule m) {
        m.setState(ModuleState.GOING);
        m.text().setState(ModuleText.State.GOING);
        k.kprobes().moduleGoing(m.text());
        cpu.call(freeModule, 0);
    }

    /** {@code free_module}: sysfs, holders, text, the modules list; the class loader becomes garbage. */
    private void free(LoadedModule m) {
        views.remove(m.name());
        for (LoadedModule dep : m.uses()) {
            views.removeHolder(dep.name(), m.name());
        }
        discard(m);
    }

    /** Forgets a module that never got (or no longer has) anything visible but its name and text. */
    private void discard(LoadedModule m) {
        m.dropUses();
        ModuleText mt = m.text();
        if (mt != null) {
            k.text().unloadModule(mt);
        }
        synchronized (moduleMutex) {
            registry.remove(m);
        }
        m.release();
    }

    // ================================================================ unload

    /** {@code delete_module}. */
    private long delete(Cpu cpu, Request rq) {
        LoadedModule m;
        synchronized (moduleMutex) {
            m = registry.find(rq.name);
            if (m == null || m.state() == ModuleState.UNFORMED) {
                return -Errno.ENOENT;
            }
            if (!m.holders().isEmpty()) {
                return -Errno.EWOULDBLOCK;
            }
            if (m.state() != ModuleState.LIVE) {
                return -Errno.EBUSY;
            }
            boolean forced = false;
            if (!m.hasExit()) {
                if (!rq.force) {
                    return -Errno.EBUSY;
                }
                forced = true;
                taints.forcedUnload();
            }
            if (m.refs().get() != 0) {
                if (!rq.force) {
                    return -Errno.EWOULDBLOCK;
                }
                if (!forced) {
                    taints.forcedUnload();
                }
            }
            m.setState(ModuleState.GOING);
            m.text().setState(ModuleText.State.GOING);
        }
        rq.module = m;
        if (m.hasExit()) {
            try (KernelBinding.Scope s = KernelBinding.bind(m.services())) {
                m.instance().exit();
            } catch (TaskKilled | Unwind e) {
                throw e;
            } catch (RuntimeException | Error e) {
                throw oops(cpu, e);
            }
        }
        LeakedProbes.release(k, m, m.hasExit() ? "after its exit()" : "when it was forcibly removed");
        k.rcu().synchronize();
        k.kprobes().moduleGoing(m.text());
        String t = m.taintLetters();
        lastUnloaded = m.name() + (t.isEmpty() ? "" : "(" + t + ")");
        cpu.call(freeModule, 0);
        return 0;
    }

    // ================================================================ queries

    /** @return the loaded modules (loading, live or unloading), newest first, as /proc/modules lists them */
    public List<LoadedModule> modules() {
        return registry.formed();
    }

    /**
     * @param name a module name
     * @return the module if it is loaded (past UNFORMED), else null
     */
    public LoadedModule find(String name) {
        LoadedModule m = registry.find(name);
        return m == null || m.state() == ModuleState.UNFORMED ? null : m;
    }

    /**
     * {@code try_module_get()}: takes a reference that keeps the module from being unloaded.
     *
     * @param name the module
     * @return false if it is not loaded or going away
     */
    public boolean tryModuleGet(String name) {
        synchronized (moduleMutex) {
            LoadedModule m = find(name);
            if (m == null || m.state() == ModuleState.GOING) {
                return false;
            }
            m.refs().incrementAndGet();
            return true;
        }
    }

    /**
     * {@code module_put()}: drops a reference taken with {@link #tryModuleGet}.
     *
     * @param name the module
     */
    public void modulePut(String name) {
        synchronized (moduleMutex) {
            LoadedModule m = registry.find(name);
            if (m != null && m.refs().get() > 0) {
                m.refs().decrementAndGet();
            }
        }
    }

    /**
     * The public classes of the loaded modules: what a module compiled now may link against (its
     * {@code Module.symvers}).
     *
     * @return class files by internal name
     */
    public Map<String, byte[]> exportedClasses() {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (LoadedModule m : registry.formed()) {
            for (String c : m.image().exports()) {
                out.putIfAbsent(c, m.image().classes().get(c));
            }
        }
        return out;
    }

    /** @return {@code /proc/modules} */
    public String procModules() {
        return ModuleViews.procModules(registry.formed());
    }

    /** @return what oops reports print after {@code Modules linked in:} */
    public String modulesLinkedIn() {
        StringBuilder b = new StringBuilder();
        for (LoadedModule m : registry.formed()) {
            b.append(' ').append(m.name()).append(m.flags());
        }
        String last = lastUnloaded;
        if (last != null) {
            b.append(" [last unloaded: ").append(last).append(']');
        }
        return b.toString();
    }
}
