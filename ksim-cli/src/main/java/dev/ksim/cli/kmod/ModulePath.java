package dev.ksim.cli.kmod;

import dev.ksim.loader.image.ClassFacts;
import dev.ksim.loader.image.ModuleFiles;
import dev.ksim.loader.image.ModuleNames;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where {@code modprobe} and {@code modinfo NAME} find modules by name (ksim's {@code /lib/modules}): a
 * list of directories holding module jars and {@code .java} files (named after their files) or compiled
 * classes such as {@code sample-modules/target/classes} (each class implementing {@code KernelModule} is
 * a module named after the class in snake case). Earlier directories win.
 */
public final class ModulePath {
    private final List<Path> dirs;

    /** @param dirs the directories, searched in order */
    public ModulePath(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    /** A module found on the path. */
    record Entry(String name, Path file, Path classDir, String mainClass) {
        /**
         * @param linked classes of loaded modules a {@code .java} module may be compiled against
         * @return how to read it
         */
        ModuleRead.Reader reader(Map<String, byte[]> linked) {
            if (file != null) {
                return () -> ModuleFiles.read(file, file.toString(), linked);
            }
            return () -> ModuleFiles.ofDirectory(classDir, mainClass, name);
        }

        /** @return its file as modinfo names it */
        String filename() {
            return file != null ? file.toString() : classDir.resolve(mainClass + ".class").toString();
        }
    }

    /** @return the directories joined as a path ({@code a:b}) */
    String describe() {
        return String.join(File.pathSeparator, dirs.stream().map(Path::toString).toList());
    }

    /**
     * @param name a module name (dashes or underscores)
     * @return the module, or null
     */
    Entry find(String name) {
        String n = ModuleNames.normalize(name);
        return all().get(n);
    }

    /** @return the names of the modules on the path */
    public List<String> names() {
        return new ArrayList<>(all().keySet());
    }

    /** @return every module on the path by name, first occurrence winning */
    Map<String, Entry> all() {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Path d : dirs) {
            for (Entry e : scan(d)) {
                out.putIfAbsent(e.name(), e);
            }
        }
        return out;
    }

    private static List<Entry> scan(Path d) {
        List<Entry> out = new ArrayList<>();
        if (Files.isRegularFile(d) && isModuleFile(d)) {
            out.add(new Entry(ModuleNames.fromFileName(d.getFileName().toString()), d, null, null));
            return out;
        }
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(d)) {
            for (Path f : files.sorted().toList()) {
                String fn = f.getFileName().toString();
                if (Files.isRegularFile(f) && isModuleFile(f)) {
                    out.add(new Entry(ModuleNames.fromFileName(fn), f, null, null));
                } else if (fn.endsWith(".class") && !fn.contains("$")) {
                    ClassFacts facts;
                    try {
                        facts = ClassFacts.read(Files.readAllBytes(f));
                    } catch (IOException | IllegalArgumentException e) {
                        continue;
                    }
                    if (facts.isModuleClass()) {
                        out.add(new Entry(ModuleNames.fromClassName(facts.name()), null, d, facts.name()));
                    }
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /**
     * @param f a file
     * @return whether it is a module by its name ({@code .jar} or {@code .java})
     */
    static boolean isModuleFile(Path f) {
        String n = f.getFileName().toString();
        return n.endsWith(".jar") || n.endsWith(".java");
    }
}
