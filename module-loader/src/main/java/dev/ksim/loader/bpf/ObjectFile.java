package dev.ksim.loader.bpf;

import dev.ksim.loader.image.CompileException;
import dev.ksim.loader.image.JavaSourceCompiler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** A BPF object file's classes: a {@code .java} file compiled as {@code .java} modules are, or a jar's classes. */
final class ObjectFile {
    private ObjectFile() {
    }

    /**
     * @param path the file
     * @param asGiven the path as the user typed it (for javac's messages)
     * @return the class files by internal name, or null if it is neither a {@code .java} file nor a jar of classes
     * @throws IOException if it cannot be read
     * @throws CompileException if a {@code .java} file does not compile
     */
    static Map<String, byte[]> classes(Path path, String asGiven) throws IOException, CompileException {
        byte[] bytes = Files.readAllBytes(path);
        if (path.getFileName().toString().endsWith(".java")) {
            return JavaSourceCompiler.compile(asGiven, new String(bytes, StandardCharsets.UTF_8),
                    JavaSourceCompiler.defaultClasspath(), Map.of());
        }
        return jarClasses(bytes);
    }

    private static Map<String, byte[]> jarClasses(byte[] bytes) {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                String n = e.getName();
                if (n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class")) {
                    classes.put(n.substring(0, n.length() - 6), zip.readAllBytes());
                }
            }
        } catch (IOException ex) {
            return null;
        }
        return classes.isEmpty() ? null : classes;
    }

}
