package dev.ksim.loader;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The kernel's {@code modules} list: newest first, as {@code /proc/modules} and lsmod show it. A name is
 * taken from the moment a load starts ({@code MODULE_STATE_UNFORMED}), so a second load of the same name
 * fails with {@code -EEXIST}.
 */
final class ModuleRegistry {
    private final List<LoadedModule> modules = new CopyOnWriteArrayList<>();

    /**
     * Adds a module being loaded, unless one of that name exists.
     *
     * @param m the module
     * @return false if the name is taken
     */
    synchronized boolean reserve(LoadedModule m) {
        if (find(m.name()) != null) {
            return false;
        }
        modules.add(0, m);
        return true;
    }

    void remove(LoadedModule m) {
        modules.remove(m);
    }

    /** @param name a module name @return the module in any state, or null */
    LoadedModule find(String name) {
        for (LoadedModule m : modules) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }

    /** @return the modules past UNFORMED, newest first */
    List<LoadedModule> formed() {
        List<LoadedModule> out = new ArrayList<>();
        for (LoadedModule m : modules) {
            if (m.state() != ModuleState.UNFORMED) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * @param internal a class's internal name
     * @param except a module not to consider (the one being loaded)
     * @return the formed module exporting that class, or null
     */
    LoadedModule exporter(String internal, LoadedModule except) {
        for (LoadedModule m : modules) {
            if (m != except && m.state() != ModuleState.UNFORMED && m.exports(internal)) {
                return m;
            }
        }
        return null;
    }
}
