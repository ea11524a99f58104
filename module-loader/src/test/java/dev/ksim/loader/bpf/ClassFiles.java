package dev.ksim.loader.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** The class files of test programs, read from the test class path. */
final class ClassFiles {
    private ClassFiles() {
    }

    /** @param classes a class and its nested classes @return their class files by internal name */
    static Map<String, byte[]> of(Class<?>... classes) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Class<?> c : classes) {
            String internal = c.getName().replace('.', '/');
            try (InputStream in = c.getClassLoader().getResourceAsStream(internal + ".class")) {
                out.put(internal, in.readAllBytes());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }
}
