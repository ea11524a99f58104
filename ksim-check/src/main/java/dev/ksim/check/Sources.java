package dev.ksim.check;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ParserConfiguration.LanguageLevel;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.symbolsolver.JavaSymbolSolver;
import com.github.javaparser.symbolsolver.resolution.typesolvers.CombinedTypeSolver;
import com.github.javaparser.symbolsolver.resolution.typesolvers.JavaParserTypeSolver;
import com.github.javaparser.symbolsolver.resolution.typesolvers.ReflectionTypeSolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Parses module sources with their symbols resolvable: the JDK and the SDK by reflection (both are on
 * this program's class path), the module's own types from the source roots of the files checked.
 *
 * <p>The language level is Java 17 on the parser and on every source-root solver (javaparser defaults
 * to Java 11, which rejects records and pattern matching). Not thread-safe: javaparser parses one file
 * at a time, so one instance serves one check.
 */
final class Sources {
    private Sources() {
    }

    /**
     * A parsed file.
     *
     * @param path the file as given
     * @param unit its syntax tree, symbol-resolvable
     */
    record SourceFile(Path path, CompilationUnit unit) {
    }

    /**
     * The {@code .java} files named, directories walked for theirs.
     *
     * @param paths files and directories
     * @return the files, sorted within each directory
     * @throws CheckException if a path does not exist or is not a Java source
     */
    static List<Path> expand(List<Path> paths) throws CheckException {
        Set<Path> out = new LinkedHashSet<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.toString().endsWith(".java") && Files.isRegularFile(f)).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new CheckException(p + ": " + e.getMessage());
                }
            } else if (!Files.exists(p)) {
                throw new CheckException(p + ": No such file or directory");
            } else if (!p.toString().endsWith(".java")) {
                throw new CheckException(p + ": not a .java file");
            } else {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Parses files.
     *
     * @param files {@code .java} files
     * @return the parsed files
     * @throws CheckException if one cannot be read or does not parse (with the parser's message)
     */
    static List<SourceFile> parse(List<Path> files) throws CheckException {
        List<String> texts = new ArrayList<>();
        Set<Path> roots = new LinkedHashSet<>();
        for (Path f : files) {
            String text;
            try {
                text = Files.readString(f);
            } catch (IOException e) {
                throw new CheckException(f + ": " + e.getMessage());
            }
            texts.add(text);
            roots.add(sourceRoot(f, text));
        }
        ParserConfiguration cfg = new ParserConfiguration().setLanguageLevel(LanguageLevel.JAVA_17);
        CombinedTypeSolver types = new CombinedTypeSolver(new ReflectionTypeSolver(false));
        for (Path root : roots) {
            types.add(new JavaParserTypeSolver(root, cfg));
        }
        cfg.setSymbolResolver(new JavaSymbolSolver(types));
        JavaParser parser = new JavaParser(cfg);
        List<SourceFile> out = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            ParseResult<CompilationUnit> r = parser.parse(texts.get(i));
            if (!r.isSuccessful() || r.getResult().isEmpty()) {
                Problem p = r.getProblems().get(0);
                String where = p.getLocation().flatMap(l -> l.getBegin().getRange())
                        .map(rg -> ":" + rg.begin.line + ":" + rg.begin.column).orElse("");
                throw new CheckException(files.get(i) + where + ": error: " + p.getMessage().lines().findFirst()
                        .orElse("does not parse"));
            }
            out.add(new SourceFile(files.get(i), r.getResult().get()));
        }
        return out;
    }

    /** The directory its package starts in: {@code src/main/java} for {@code src/main/java/a/b/C.java}. */
    private static Path sourceRoot(Path file, String text) {
        Path dir = file.toAbsolutePath().normalize().getParent();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;").matcher(text);
        if (m.find()) {
            String[] parts = m.group(1).split("\\.");
            for (int i = parts.length - 1; i >= 0 && dir != null; i--) {
                if (!dir.getFileName().toString().equals(parts[i])) {
                    return file.toAbsolutePath().normalize().getParent();
                }
                dir = dir.getParent();
            }
        }
        return dir == null ? Path.of(".").toAbsolutePath() : dir;
    }
}
