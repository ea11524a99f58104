package dev.ksim.loader.image;

import dev.ksim.loader.params.ParamType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A module as {@code insmod} hands it to the kernel: its name, its classes (the object code), which class
 * is the module ({@code module_init}/{@code module_exit}) and its {@code .modinfo}. Immutable; built from
 * a jar, a compiled {@code .java} file or a class directory by {@link ModuleFiles}.
 */
public final class ModuleImage {
    private final String name;
    private final String file;
    private final Map<String, byte[]> classes;
    private final Map<String, ClassFacts> facts;
    private final String mainClass;
    private final ModuleMeta meta;

    private ModuleImage(String name, String file, Map<String, byte[]> classes, Map<String, ClassFacts> facts,
            String mainClass, ModuleMeta meta) {
        this.name = name;
        this.file = file;
        this.classes = classes;
        this.facts = facts;
        this.mainClass = mainClass;
        this.meta = meta;
    }

    /**
     * Builds a module from its classes, finding the module class and reading its metadata.
     *
     * @param name the module's name
     * @param file where it came from, as the user named it (for modinfo's {@code filename:})
     * @param classes class files by internal name
     * @param declaredMain the module class named by the jar's {@code Ksim-Module} manifest attribute
     *        (binary name), or {@code null} to find the one class implementing {@code KernelModule}
     * @return the module
     * @throws InvalidModuleException (-ENOEXEC) if it holds no module class, several, or malformed metadata
     */
    public static ModuleImage of(String name, String file, Map<String, byte[]> classes, String declaredMain)
            throws InvalidModuleException {
        Map<String, byte[]> byName = new LinkedHashMap<>();
        Map<String, ClassFacts> facts = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : classes.entrySet()) {
            ClassFacts f;
            try {
                f = ClassFacts.read(e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new InvalidModuleException("\0013" + name + ": invalid class file " + e.getKey());
            }
            byName.put(f.name(), e.getValue());
            facts.put(f.name(), f);
        }
        String main = findMain(name, facts, declaredMain);
        ClassFacts mf = facts.get(main);
        ModuleMeta meta = meta(name, mf);
        return new ModuleImage(name, file, Collections.unmodifiableMap(byName), Collections.unmodifiableMap(facts), main,
                meta);
    }

    private static String findMain(String name, Map<String, ClassFacts> facts, String declared)
            throws InvalidModuleException {
        if (declared != null) {
            String internal = declared.replace('.', '/');
            ClassFacts f = facts.get(internal);
            if (f == null || !f.isModuleClass()) {
                throw new InvalidModuleException("\0014" + name + ": No module found in object");
            }
            return checkConstructor(name, f);
        }
        List<String> found = new ArrayList<>();
        for (ClassFacts f : facts.values()) {
            if (f.isModuleClass()) {
                found.add(f.name());
            }
        }
        if (found.isEmpty()) {
            throw new InvalidModuleException("\0014" + name + ": No module found in object");
        }
        if (found.size() > 1) {
            throw new InvalidModuleException("\0014" + name + ": more than one module in object ("
                    + String.join(", ", found.stream().map(s -> s.replace('/', '.')).toList())
                    + "): name one with the Ksim-Module manifest attribute");
        }
        return checkConstructor(name, facts.get(found.get(0)));
    }

    private static String checkConstructor(String name, ClassFacts f) throws InvalidModuleException {
        if (!f.hasPublicNoArgConstructor()) {
            throw new InvalidModuleException("\0014" + name + ": module class " + f.binaryName()
                    + " has no public no-argument constructor");
        }
        return f.name();
    }

    private static ModuleMeta meta(String name, ClassFacts main) throws InvalidModuleException {
        Map<String, Object> info = main.moduleInfo() == null ? Map.of() : main.moduleInfo();
        List<ParamSpec> params = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Object> p : main.params()) {
            String field = (String) p.get("#field");
            String desc = (String) p.get("#desc");
            String pname = str(p.get("name"), field);
            int maxlen = p.get("maxlen") instanceof Integer i ? i : 0;
            ParamType type = ParamType.of(str(p.get("type"), ""), desc, maxlen);
            if (type == null) {
                throw new InvalidModuleException("\0014" + name + ": parameter " + pname + ": type '"
                        + str(p.get("type"), "") + "' does not fit its field " + field + " (" + desc + ")");
            }
            if (!names.add(pname)) {
                throw new InvalidModuleException("\0014" + name + ": parameter " + pname + " declared twice");
            }
            int perm = p.get("perm") instanceof Integer i ? i : 0;
            params.add(new ParamSpec(pname, type, perm, str(p.get("desc"), ""), maxlen, field, desc));
        }
        return new ModuleMeta((String) info.get("license"), str(info.get("author"), ""),
                str(info.get("description"), ""), str(info.get("version"), ""), params);
    }

    private static String str(Object v, String dflt) {
        return v instanceof String s && !s.isEmpty() ? s : dflt;
    }

    /** @return the module's name ({@code kprobe_example}) */
    public String name() {
        return name;
    }

    /** @return the file it was read from, as given, or a description such as {@code class:…} */
    public String file() {
        return file;
    }

    /** @return class files by internal name */
    public Map<String, byte[]> classes() {
        return classes;
    }

    /** @param internal a class's internal name @return what it declares, or null if not in the module */
    public ClassFacts facts(String internal) {
        return facts.get(internal);
    }

    /** @return the internal name of the class implementing {@code KernelModule} */
    public String mainClass() {
        return mainClass;
    }

    /** @return the {@code .modinfo} */
    public ModuleMeta meta() {
        return meta;
    }

    /** @return the public classes: the module's exported symbols, as internal names */
    public List<String> exports() {
        List<String> out = new ArrayList<>();
        for (ClassFacts f : facts.values()) {
            if (f.isPublic()) {
                out.add(f.name());
            }
        }
        return out;
    }

    /**
     * A copy with another name (insmod of a file decides the name; a class given directly too).
     *
     * @param newName the name
     * @return the copy
     */
    public ModuleImage withName(String newName) {
        return new ModuleImage(newName, file, classes, facts, mainClass, meta);
    }

    /** @return the total size of the class files in bytes */
    public int classBytes() {
        int n = 0;
        for (byte[] b : classes.values()) {
            n += b.length;
        }
        return n;
    }
}
