package dev.ksim.loader.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a single-file module ({@code hello.java}) in memory against the SDK, as the JDK's source
 * launcher compiles a single-file program: the file's name need not match its public class. Errors come
 * back formatted as a build prints them.
 */
public final class JavaSourceCompiler {
    private JavaSourceCompiler() {
    }

    /**
     * Compiles one source file.
     *
     * @param displayName the file as the user named it (used in diagnostics)
     * @param source its text
     * @param classpath where the SDK's classes are
     * @param linked classes of loaded modules the source may use (their exports), by internal name
     * @return the class files by internal name
     * @throws CompileException with javac-style diagnostics if it does not compile
     * @throws IOException if this JVM has no compiler (a JRE without {@code jdk.compiler})
     */
    public static Map<String, byte[]> compile(String displayName, String source, String classpath,
            Map<String, byte[]> linked) throws CompileException, IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IOException("no Java compiler in this runtime (a JDK is needed for .java modules)");
        }
        Map<String, ByteArrayOutputStream> out = new LinkedHashMap<>();
        StandardJavaFileManager std = javac.getStandardFileManager(null, Locale.ROOT, null);
        java.io.StringWriter report = new java.io.StringWriter();
        try (var files = new ForwardingJavaFileManager<StandardJavaFileManager>(std) {
            @Override
            public Iterable<JavaFileObject> list(Location location, String pkg, java.util.Set<JavaFileObject.Kind> kinds,
                    boolean recurse) throws IOException {
                Iterable<JavaFileObject> found = super.list(location, pkg, kinds, recurse);
                if (location != javax.tools.StandardLocation.CLASS_PATH || !kinds.contains(JavaFileObject.Kind.CLASS)) {
                    return found;
                }
                List<JavaFileObject> all = new ArrayList<>();
                found.forEach(all::add);
                String prefix = pkg.isEmpty() ? "" : pkg.replace('.', '/') + "/";
                for (Map.Entry<String, byte[]> e : linked.entrySet()) {
                    String rest = e.getKey().startsWith(prefix) ? e.getKey().substring(prefix.length()) : null;
                    if (rest != null && (recurse || !rest.contains("/"))) {
                        all.add(new LinkedClass(e.getKey(), e.getValue()));
                    }
                }
                return all;
            }

            @Override
            public String inferBinaryName(Location location, JavaFileObject file) {
                return file instanceof LinkedClass c ? c.binaryName : super.inferBinaryName(location, file);
            }

            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                    FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return out.computeIfAbsent(className.replace('.', '/'), k -> new ByteArrayOutputStream());
                    }
                };
            }
        }) {
            JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + displayName.replace('\\', '/')
                    .replace(" ", "%20")), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source;
                }

                @Override
                public String getName() {
                    return displayName;
                }

                @Override
                public boolean isNameCompatible(String simpleName, JavaFileObject.Kind kind) {
                    return true;
                }
            };
            List<String> options = List.of("-classpath", classpath, "-proc:none", "-g", "-nowarn", "-Xlint:none",
                    "-XDsuppressNotes", "--release", "17");
            // Without a diagnostic listener javac reports as its command line does: file:line, source, caret.
            boolean ok = javac.getTask(report, files, null, options, null, List.of(unit)).call();
            if (!ok) {
                throw new CompileException(report.toString());
            }
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        out.forEach((k, v) -> classes.put(k, v.toByteArray()));
        return classes;
    }

    /** A class of a loaded module, offered to the compiler as if on the class path. */
    private static final class LinkedClass extends SimpleJavaFileObject {
        final String binaryName;
        private final byte[] bytes;

        LinkedClass(String internal, byte[] bytes) {
            super(URI.create("module:///" + internal + ".class"), JavaFileObject.Kind.CLASS);
            this.binaryName = internal.replace('/', '.');
            this.bytes = bytes;
        }

        @Override
        public java.io.InputStream openInputStream() {
            return new java.io.ByteArrayInputStream(bytes);
        }
    }

    /** @return the classpath a compiled module sees: this JVM's own (the SDK is on it) */
    public static String defaultClasspath() {
        List<String> parts = new ArrayList<>();
        parts.add(System.getProperty("java.class.path"));
        return String.join(java.io.File.pathSeparator, parts);
    }
}
