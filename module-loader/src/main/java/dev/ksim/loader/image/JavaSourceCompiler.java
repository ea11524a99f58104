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
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
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
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> out = new LinkedHashMap<>();
        StandardJavaFileManager std = javac.getStandardFileManager(diags, Locale.ROOT, null);
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
                    "--release", "17");
            boolean ok = javac.getTask(null, files, diags, options, null, List.of(unit)).call();
            if (!ok) {
                throw new CompileException(format(diags.getDiagnostics(), source));
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

    /** Formats diagnostics as javac's command line does. */
    static String format(List<Diagnostic<? extends JavaFileObject>> diags, String source) {
        String[] lines = source.split("\r?\n", -1);
        StringBuilder b = new StringBuilder();
        int errors = 0;
        for (Diagnostic<? extends JavaFileObject> d : diags) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            errors++;
            String[] msg = d.getMessage(Locale.ROOT).split("\n", -1);
            String file = d.getSource() == null ? "" : d.getSource().getName();
            b.append(file).append(':').append(d.getLineNumber()).append(": error: ").append(msg[0]).append('\n');
            long ln = d.getLineNumber();
            if (ln >= 1 && ln <= lines.length) {
                String line = lines[(int) ln - 1];
                b.append(line).append('\n');
                StringBuilder caret = new StringBuilder();
                for (int i = 0; i < d.getColumnNumber() - 1 && i < line.length(); i++) {
                    caret.append(line.charAt(i) == '\t' ? '\t' : ' ');
                }
                b.append(caret).append("^\n");
            }
            for (int i = 1; i < msg.length; i++) {
                b.append(msg[i]).append('\n');
            }
        }
        b.append(errors).append(errors == 1 ? " error" : " errors").append('\n');
        return b.toString();
    }

    /** @return the classpath a compiled module sees: this JVM's own (the SDK is on it) */
    public static String defaultClasspath() {
        List<String> parts = new ArrayList<>();
        parts.add(System.getProperty("java.class.path"));
        return String.join(java.io.File.pathSeparator, parts);
    }
}
