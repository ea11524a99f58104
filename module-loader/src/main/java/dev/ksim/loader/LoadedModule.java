package dev.ksim.loader;

import dev.ksim.kernel.diag.Taint;
import dev.ksim.kernel.text.ModuleText;
import dev.ksim.loader.image.ModuleImage;
import dev.ksim.loader.params.BoundParam;
import dev.ksim.loader.sysfs.ModuleViews;
import dev.ksim.loader.weave.ModuleClassLoader;
import dev.ksim.sdk.KernelModule;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A module in the kernel ({@code struct module}): its name and image, state, taints, holders and
 * reference count, and — while loaded — its text, class loader, instance and parameters.
 */
public final class LoadedModule implements ModuleViews.View {
    private final String name;
    private final ModuleImage image;
    private final Set<String> exports;
    private final boolean hasExit;
    private volatile ModuleState state = ModuleState.UNFORMED;
    /** Guarded by itself. */
    private final EnumSet<Taint.Flag> taints = EnumSet.noneOf(Taint.Flag.class);
    /** Modules that use this one ({@code source_list}). */
    private final List<LoadedModule> holders = new CopyOnWriteArrayList<>();
    /** Modules this one uses ({@code target_list}). */
    private final List<LoadedModule> uses = new CopyOnWriteArrayList<>();
    /** References taken with {@link ModuleLoader#tryModuleGet}, beyond those of holders. */
    private final AtomicInteger refs = new AtomicInteger();
    private volatile ModuleText text;
    private volatile ModuleClassLoader loader;
    private volatile KernelModule instance;
    private volatile ModuleServices services;
    private volatile List<BoundParam> params = List.of();

    LoadedModule(ModuleImage image) {
        this.name = image.name();
        this.image = image;
        this.exports = Set.copyOf(image.exports());
        this.hasExit = declaresExit(image);
    }

    private static boolean declaresExit(ModuleImage image) {
        String c = image.mainClass();
        while (c != null && image.facts(c) != null) {
            if (image.facts(c).methods().contains("exit()V")) {
                return true;
            }
            c = image.facts(c).superName();
        }
        return false;
    }

    /** @return the module's name */
    @Override
    public String name() {
        return name;
    }

    /** @return what was loaded */
    public ModuleImage image() {
        return image;
    }

    /** @return its state */
    public ModuleState state() {
        return state;
    }

    void setState(ModuleState s) {
        this.state = s;
    }

    /** @return whether it has an exit function ({@code module_exit}); without one it cannot be unloaded */
    public boolean hasExit() {
        return hasExit;
    }

    /** @param internal a class's internal name @return whether this module exports it */
    boolean exports(String internal) {
        return exports.contains(internal);
    }

    void taint(Taint.Flag f) {
        synchronized (taints) {
            taints.add(f);
        }
    }

    /** @return the letters of its taints in the kernel's order, e.g. {@code "OE"} (empty if none) */
    @Override
    public String taintLetters() {
        StringBuilder b = new StringBuilder();
        synchronized (taints) {
            for (Taint.Flag f : taints) {
                b.append(f.set);
            }
        }
        return b.toString();
    }

    /**
     * {@code module_flags()} with the state shown: {@code "(OE)"}, {@code "(OE+)"} while loading,
     * {@code "(OE-)"} while unloading, or empty.
     *
     * @return the flags
     */
    @Override
    public String flags() {
        String t = taintLetters();
        ModuleState s = state;
        if (t.isEmpty() && s != ModuleState.COMING && s != ModuleState.GOING) {
            return "";
        }
        return "(" + t + (s == ModuleState.GOING ? "-" : s == ModuleState.COMING ? "+" : "") + ")";
    }

    /** @return the modules using this one, oldest first */
    public List<LoadedModule> holders() {
        return List.copyOf(holders);
    }

    /** @return the modules this one uses */
    public List<LoadedModule> uses() {
        return List.copyOf(uses);
    }

    void addUse(LoadedModule target) {
        if (!uses.contains(target)) {
            uses.add(target);
            target.holders.add(this);
        }
    }

    void dropUses() {
        for (LoadedModule t : uses) {
            t.holders.remove(this);
        }
        uses.clear();
    }

    AtomicInteger refs() {
        return refs;
    }

    /** @return {@code module_refcount()}: one per holder plus every {@code try_module_get} not yet put */
    @Override
    public int refcount() {
        return holders.size() + refs.get();
    }

    /** @return its text while loaded, else null */
    public ModuleText text() {
        return text;
    }

    @Override
    public List<String> holderNames() {
        return holders.stream().map(LoadedModule::name).toList();
    }

    @Override
    public boolean permanent() {
        return !hasExit;
    }

    @Override
    public String procState() {
        return switch (state) {
            case COMING, UNFORMED -> "Loading";
            case GOING -> "Unloading";
            case LIVE -> "Live";
        };
    }

    @Override
    public String initState() {
        return switch (state) {
            case COMING, UNFORMED -> "coming";
            case GOING -> "going";
            case LIVE -> "live";
        };
    }

    @Override
    public long base() {
        ModuleText t = text;
        return t == null ? 0 : t.segment.base;
    }

    @Override
    public String version() {
        return image.meta().version();
    }

    /** @return its size in bytes as lsmod shows it: text and class files, page-aligned */
    @Override
    public long size() {
        ModuleText t = text;
        long bytes = (t == null ? 0 : t.segment.size()) + image.classBytes();
        return (bytes + 4095) & ~4095L;
    }

    /** @return the module's instance while loaded, else null */
    public KernelModule instance() {
        return instance;
    }

    /** @return its class loader while loaded, else null */
    public ClassLoader classLoader() {
        return loader;
    }

    /** @return its parameters */
    public List<BoundParam> params() {
        return params;
    }

    ModuleServices services() {
        return services;
    }

    void attach(ModuleText t, ModuleClassLoader l, ModuleServices s) {
        this.text = t;
        this.loader = l;
        this.services = s;
    }

    void setInstance(KernelModule m, List<BoundParam> p) {
        this.instance = m;
        this.params = List.copyOf(p);
    }

    /** Drops everything that refers to the module's classes, so its class loader can be collected. */
    void release() {
        instance = null;
        loader = null;
        services = null;
        params = List.of();
        text = null;
    }

    @Override
    public String toString() {
        return name;
    }
}
