package dev.ksim.loader.image;

import dev.ksim.sdk.Errno;
import dev.ksim.sdk.KernelModule;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads modules in their three forms: a jar ({@code kprobe-example.jar}: classes plus an optional
 * {@code Ksim-Module} manifest attribute naming the module class), a single {@code .java} file compiled
 * on the spot, or a class of the running program. A file's module is named after the file
 * ({@link ModuleNames#fromFileName}).
 */
public final class ModuleFiles {
    /** The jar manifest attribute naming the module class when a jar holds several. */
    public static final String MANIFEST_ATTRIBUTE = "Ksim-Module";

    private ModuleFiles() {
    }

    /**
     * Reads a module file.
     *
     * @param path the file
     * @param asGiven the path as the user typed it (for messages and modinfo)
     * @return the module
     * @throws IOException if the file cannot be read (e.g. {@link java.nio.file.NoSuchFileException})
     * @throws InvalidModuleException if it is not a module (-ENOEXEC) or a directory (-EISDIR)
     * @throws CompileException if it is a {@code .java} file that does not compile
     */
    public static ModuleImage read(Path path, String asGiven) throws IOException, InvalidModuleException,
            CompileException {
        return read(path, asGiven, Map.of());
    }

    /**
     * Reads a module file; a {@code .java} file is compiled against the SDK and the given classes of
     * loaded modules (as a C module is built against the kernel's and other modules' exports).
     *
     * @param path the file
     * @param asGiven the path as the user typed it
     * @param linked exported classes of loaded modules by internal name
     * @return the module
     * @throws IOException if the file cannot be read
     * @throws InvalidModuleException if it is not a module
     * @throws CompileException if it is a {@code .java} file that does not compile
     */
    public static ModuleImage read(Path path, String asGiven, Map<String, byte[]> linked) throws IOException,
            InvalidModuleException, CompileException {
        if (Files.isDirectory(path)) {
            throw new InvalidModuleException(-Errno.EISDIR);
        }
        byte[] bytes = Files.readAllBytes(path);
        String name = ModuleNames.fromFileName(path.getFileName().toString());
        if (path.getFileName().toString().endsWith(".java")) {
            String src = new String(bytes, StandardCharsets.UTF_8);
            Map<String, byte[]> classes = JavaSourceCompiler.compile(asGiven, src, JavaSourceCompiler.defaultClasspath(), linked);
            return ModuleImage.of(name, asGiven, classes, null);
        }
        if (bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4) {
            return jar(name, asGiven, bytes);
        }
        throw new InvalidModuleException("\0013" + name + ": Invalid module header: not a jar (PK\\003\\004) "
                + "or a .java file");
    }

    /**
     * Reads a jar's classes.
     *
     * @param name the module's name
     * @param file the jar as given
     * @param bytes its contents
     * @return the module
     * @throws InvalidModuleException if it is not a readable jar or holds no module
     */
    public static ModuleImage jar(String name, String file, byte[] bytes) throws InvalidModuleException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        String main = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String n = e.getName();
                if (n.equals("META-INF/MANIFEST.MF")) {
                    main = new Manifest(new ByteArrayInputStream(zip.readAllBytes())).getMainAttributes()
                            .getValue(MANIFEST_ATTRIBUTE);
                } else if (n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class")) {
                    classes.put(n.substring(0, n.length() - 6), zip.readAllBytes());
                }
            }
        } catch (IOException | RuntimeException ex) {
            throw new InvalidModuleException("\0013" + name + ": Invalid module format: " + ex.getMessage());
        }
        return ModuleImage.of(name, file, classes, main);
    }

    /**
     * A module from a class of the running program (tests, embedding programs): the class and the
     * classes it reaches that live in the same jar or directory. Named {@code snake_case} after the
     * class ({@code KprobeExample} → {@code kprobe_example}).
     *
     * @param module the module class
     * @return the module
     * @throws InvalidModuleException if the class is not a module class
     */
    public static ModuleImage ofClass(Class<? extends KernelModule> module) throws InvalidModuleException {
        ClassLoader cl = module.getClassLoader();
        String main = module.getName().replace('.', '/');
        URL self = cl.getResource(main + ".class");
        if (self == null) {
            throw new InvalidModuleException("\0014" + module.getName() + ": class file not found");
        }
        String base = self.toString().substring(0, self.toString().length() - main.length() - 6);
        Map<String, byte[]> classes = ClassClosure.of(main, internal -> {
            URL u = cl.getResource(internal + ".class");
            if (u == null || !u.toString().startsWith(base)) {
                return null;
            }
            try (InputStream in = u.openStream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String name = ModuleNames.fromClassName(module.getName());
        return ModuleImage.of(name, "class:" + module.getName(), classes, module.getName());
    }

    /**
     * A module from a class directory such as {@code target/classes}: the module class and the classes
     * of the directory it reaches.
     *
     * @param dir the class directory
     * @param mainInternal the module class's internal name
     * @param name the module's name
     * @return the module
     * @throws InvalidModuleException if the class is not a module class
     */
    public static ModuleImage ofDirectory(Path dir, String mainInternal, String name) throws InvalidModuleException {
        Map<String, byte[]> classes = ClassClosure.of(mainInternal, internal -> {
            Path p = dir.resolve(internal + ".class");
            try {
                return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return ModuleImage.of(name, dir.resolve(mainInternal + ".class").toString(), classes,
                mainInternal.replace('/', '.'));
    }
}
