package dev.ksim.check;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.KernelProfile;
import dev.ksim.kernel.image.ImageCatalog;
import dev.ksim.kernel.kprobes.BlacklistSections;
import dev.ksim.kernel.text.FunctionDef;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A kernel profile's functions as {@code /proc/kallsyms} and {@code /sys/kernel/debug/kprobes/blacklist}
 * list them, read from the same image catalog the simulated kernel boots from, for every architecture: a
 * symbol exists if some architecture has it, and is blacklisted if some architecture blacklists it.
 */
final class KernelSymbols {
    private static final Map<KernelProfile, KernelSymbols> CACHE = new ConcurrentHashMap<>();

    /** The kernel function (current name) each SDK call runs through on the simulated kernel, where probes fire. */
    private static final Map<String, String> SDK_ENTRIES = Map.ofEntries(
            Map.entry("dev.ksim.sdk.Kernel.msleep", "msleep"),
            Map.entry("dev.ksim.sdk.Kernel.ssleep", "msleep"),
            Map.entry("dev.ksim.sdk.Kernel.usleep_range", "usleep_range_state"),
            Map.entry("dev.ksim.sdk.Kernel.schedule", "schedule"),
            Map.entry("dev.ksim.sdk.Kernel.cond_resched", "__cond_resched"),
            Map.entry("dev.ksim.sdk.Kernel.kmalloc", "__kmalloc"),
            Map.entry("dev.ksim.sdk.Kernel.kzalloc", "__kmalloc"),
            Map.entry("dev.ksim.sdk.Kernel.kfree", "kfree"));

    /** The profile. */
    final KernelProfile profile;
    private final Map<Arch, Map<String, FunctionDef>> functions = new EnumMap<>(Arch.class);

    private KernelSymbols(KernelProfile profile) {
        this.profile = profile;
        for (Arch a : Arch.values()) {
            Map<String, FunctionDef> m = new LinkedHashMap<>();
            for (FunctionDef d : ImageCatalog.functions(a, profile)) {
                m.put(d.name(), d);
            }
            functions.put(a, m);
        }
    }

    /**
     * @param profile a kernel profile
     * @return its symbols (built once per profile)
     */
    static KernelSymbols of(KernelProfile profile) {
        return CACHE.computeIfAbsent(profile, KernelSymbols::new);
    }

    /**
     * @param symbol a function name
     * @return whether some architecture's kallsyms lists it
     */
    boolean exists(String symbol) {
        return functions.values().stream().anyMatch(m -> m.containsKey(symbol));
    }

    /**
     * @param symbol a function name
     * @return whether some architecture blacklists it, or the function it is a suffixed clone of
     */
    boolean blacklisted(String symbol) {
        int dot = symbol.indexOf('.');
        String base = dot > 0 ? symbol.substring(0, dot) : symbol;
        for (Map<String, FunctionDef> m : functions.values()) {
            for (String s : new String[] {symbol, base}) {
                FunctionDef d = m.get(s);
                if (d != null && BlacklistSections.blacklisted(d)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A symbol to use instead of one this kernel lacks: its name here if another profile names the same
     * function so ({@code _do_fork} → {@code kernel_clone}), else the closest name in kallsyms.
     *
     * @param symbol a function name this kernel lacks
     * @return the suggestion, with why
     */
    Optional<String> suggest(String symbol) {
        Map<String, FunctionDef> current = ImageCatalog.functions(Arch.X86_64, KernelProfile.current()).stream()
                .collect(LinkedHashMap::new, (m, d) -> m.put(d.name(), d), Map::putAll);
        for (KernelProfile other : KernelProfile.values()) {
            for (String name : current.keySet()) {
                if (other != profile && other.symbol(Arch.X86_64, name).equals(symbol)) {
                    String here = profile.symbol(Arch.X86_64, name);
                    if (exists(here) && !here.equals(symbol)) {
                        return Optional.of("did you mean '" + here + "'? ('" + symbol + "' is its name on the "
                                + other.version + " kernel)");
                    }
                }
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : functions.get(Arch.X86_64).keySet()) {
            int d = distance(symbol, name);
            if (d < bestDistance || (d == bestDistance && best != null && name.length() < best.length())) {
                best = name;
                bestDistance = d;
            }
        }
        if (best != null && bestDistance <= Math.max(2, symbol.length() / 4)) {
            return Optional.of("did you mean '" + best + "'?");
        }
        return Optional.empty();
    }

    /**
     * The kernel functions an SDK call runs on the simulated kernel: its entry function and everything that
     * calls, by this profile's names.
     *
     * @param type the SDK class's qualified name
     * @param method the method
     * @return the functions, empty if the call runs no probe-able kernel function
     */
    Set<String> runsThrough(String type, String method) {
        String entry = SDK_ENTRIES.get(type + "." + method);
        if (type.equals("dev.ksim.sdk.Printk") && (method.equals("printk") || method.startsWith("pr_"))) {
            entry = "_printk";
        }
        Set<String> out = new LinkedHashSet<>();
        if (entry == null) {
            return out;
        }
        Map<String, FunctionDef> fns = functions.get(Arch.X86_64);
        Deque<String> work = new ArrayDeque<>();
        work.add(profile.symbol(Arch.X86_64, entry));
        while (!work.isEmpty()) {
            String f = work.poll();
            FunctionDef d = fns.get(f);
            if (d != null && out.add(f)) {
                work.addAll(d.callees());
            }
        }
        return out;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
