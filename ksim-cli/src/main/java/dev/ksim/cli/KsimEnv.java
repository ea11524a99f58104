package dev.ksim.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where ksim finds things: its home (the repository the launcher lives in), the state directory of a
 * booted kernel, the module path {@code modprobe} and {@code modinfo NAME} search, and the working
 * directory host paths are relative to.
 *
 * @param home the ksim home ({@code -Dksim.home}, set by the launcher), or null
 * @param stateDir where a booted kernel keeps its socket, pid and log
 * @param modulePath directories (of jars, {@code .java} files or classes) searched by module name
 * @param cwd the working directory
 */
public record KsimEnv(Path home, Path stateDir, List<Path> modulePath, Path cwd) {
    /** Environment variable overriding the state directory. */
    public static final String STATE_DIR_VAR = "KSIM_STATE_DIR";
    /** Environment variable prepending directories to the module path (colon-separated). */
    public static final String MODULE_PATH_VAR = "KSIM_MODULE_PATH";

    public KsimEnv {
        modulePath = List.copyOf(modulePath);
    }

    /**
     * The environment of this process.
     *
     * @param env the environment variables
     * @return the paths
     */
    public static KsimEnv fromSystem(Map<String, String> env) {
        String h = System.getProperty("ksim.home");
        Path home = h == null ? null : Path.of(h).toAbsolutePath();
        Path cwd = Path.of("").toAbsolutePath();
        Path state;
        if (env.get(STATE_DIR_VAR) != null) {
            state = Path.of(env.get(STATE_DIR_VAR)).toAbsolutePath();
        } else if (home != null) {
            state = home.resolve(".ksim");
        } else if (env.get("XDG_RUNTIME_DIR") != null) {
            state = Path.of(env.get("XDG_RUNTIME_DIR"), "ksim");
        } else {
            state = Path.of(System.getProperty("user.home"), ".ksim");
        }
        List<Path> mp = new ArrayList<>();
        String extra = env.get(MODULE_PATH_VAR);
        if (extra != null) {
            for (String p : extra.split(File.pathSeparator)) {
                if (!p.isEmpty()) {
                    mp.add(cwd.resolve(p));
                }
            }
        }
        if (home != null) {
            mp.add(home.resolve("sample-modules/target/classes"));
        }
        return new KsimEnv(home, state, mp, cwd);
    }

    /** @param dir a working directory @return a copy with it */
    public KsimEnv withCwd(Path dir) {
        return new KsimEnv(home, stateDir, modulePath, dir);
    }

    /** @param dirs directories to search first @return a copy with them prepended to the module path */
    public KsimEnv withModulePathFirst(List<Path> dirs) {
        List<Path> mp = new ArrayList<>(dirs);
        mp.addAll(modulePath);
        return new KsimEnv(home, stateDir, mp, cwd);
    }
}
