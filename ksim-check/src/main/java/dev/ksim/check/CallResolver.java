package dev.ksim.check;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.MethodReferenceExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.expr.TypeExpr;
import com.github.javaparser.resolution.declarations.ResolvedMethodDeclaration;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves calls in module code. Simple names first, as javac scopes them: an unqualified call names a
 * method of the enclosing class if it declares one of that name, else a static import; a call on a
 * capitalised name that the imports make a type names a method of that type. These rules need no types, so
 * they also work inside implicitly typed lambdas, whose parameters javaparser's symbol solver sometimes
 * cannot type. Other calls go to the symbol solver, but only when their method name can matter to a rule:
 * declared in the module's sources (the files checked and the other files of their directories), or a
 * blocking JDK method. Anything else is unknown (an empty list) and not followed. Resolving only what
 * matters keeps a 500-line module's check well under a second.
 */
final class CallResolver {
    /** Parsed files by syntax tree, to name the file of a method the solver found. */
    private final Map<CompilationUnit, Path> files = new IdentityHashMap<>();

    /** Names of the methods declared in the module's sources. */
    private final java.util.Set<String> declared = new java.util.HashSet<>();

    /** A method declaration's name, roughly: enough to know which calls are worth resolving. */
    private static final java.util.regex.Pattern DECLARATION =
            java.util.regex.Pattern.compile("\\b(\\w+)\\s*\\([^;{}()]*\\)\\s*(?:throws\\s+[\\w.,\\s]+)?\\{");

    /**
     * @param files the parsed files; the methods declared in them, and in the other {@code .java} files of
     *     their directories (the module's other classes, which the solver finds in the source root), are the
     *     module's own
     */
    CallResolver(List<Sources.SourceFile> files) {
        java.util.Set<Path> dirs = new java.util.HashSet<>();
        for (Sources.SourceFile f : files) {
            this.files.put(f.unit(), f.path());
            f.unit().findAll(MethodDeclaration.class).forEach(m -> declared.add(m.getNameAsString()));
            Path dir = f.path().toAbsolutePath().getParent();
            if (dir != null && dirs.add(dir)) {
                siblingDeclarations(dir);
            }
        }
    }

    private void siblingDeclarations(Path dir) {
        try (var list = java.nio.file.Files.list(dir)) {
            for (Path p : list.filter(x -> x.toString().endsWith(".java")).toList()) {
                java.util.regex.Matcher m = DECLARATION.matcher(java.nio.file.Files.readString(p));
                while (m.find()) {
                    declared.add(m.group(1));
                }
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // unreadable siblings: their methods are simply not followed
        }
    }

    /**
     * @param call a call
     * @return what it calls: possibly several module methods (overloads the name-based fallback could not
     *     tell apart), one external method, or nothing when unknown
     */
    List<Callee> resolve(MethodCallExpr call) {
        Expression scope = call.getScope().orElse(null);
        List<Callee> bySimpleName = byName(call, scope, call.getNameAsString(), call.getArguments().size());
        if (!bySimpleName.isEmpty()) {
            return bySimpleName;
        }
        if (!declared.contains(call.getNameAsString()) && !SleepingCalls.jdkMethodName(call.getNameAsString())) {
            return List.of();
        }
        try {
            ResolvedMethodDeclaration d = call.resolve();
            Callee c = of(d);
            if (c != null) {
                return List.of(c);
            }
        } catch (RuntimeException | StackOverflowError e) {
            // unresolvable by the solver, and no simple-name rule applied either
        }
        return List.of();
    }

    /**
     * @param ref a method reference such as {@code this::handler_pre}
     * @return the module methods it names, or the external method
     */
    List<Callee> resolve(MethodReferenceExpr ref) {
        List<Callee> bySimpleName = byName(ref, ref.getScope(), ref.getIdentifier(), -1);
        if (!bySimpleName.isEmpty()) {
            return bySimpleName;
        }
        try {
            Callee c = of(ref.resolve());
            if (c != null) {
                return List.of(c);
            }
        } catch (RuntimeException | StackOverflowError e) {
            // unknown
        }
        return List.of();
    }

    private Callee of(ResolvedMethodDeclaration d) {
        var ast = d.toAst();
        if (ast.isPresent() && ast.get() instanceof CallableDeclaration<?> decl) {
            Path file = fileOf(decl);
            if (file != null) {
                return new Callee.Internal(file, decl);
            }
        }
        if (ast.isPresent()) {
            return null;
        }
        return new Callee.External(d.declaringType().getQualifiedName(), d.getName());
    }

    private Path fileOf(Node n) {
        CompilationUnit cu = n.findCompilationUnit().orElse(null);
        if (cu == null) {
            return null;
        }
        Path p = files.get(cu);
        if (p != null) {
            return p;
        }
        return cu.getStorage().map(CompilationUnit.Storage::getPath).orElse(null);
    }

    private List<Callee> byName(Node site, Expression scope, String name, int arity) {
        List<Callee> out = new ArrayList<>();
        if (scope instanceof CastExpr cast) {
            // javaparser reads (JprobeEntry.Args6) this::m as a reference on the cast expression
            scope = cast.getExpression();
        }
        if (scope == null || scope instanceof ThisExpr) {
            TypeDeclaration<?> type = site.findAncestor(TypeDeclaration.class).orElse(null);
            Path file = fileOf(site);
            if (type != null && file != null) {
                for (MethodDeclaration m : type.getMethodsByName(name)) {
                    if (arity < 0 || m.getParameters().size() == arity
                            || m.getParameters().stream().anyMatch(p -> p.isVarArgs())) {
                        out.add(new Callee.Internal(file, m));
                    }
                }
            }
            if (out.isEmpty() && scope == null) {
                String owner = staticImport(site, name);
                if (owner != null) {
                    out.add(new Callee.External(owner, name));
                }
            }
            return out;
        }
        String typeName = scope instanceof NameExpr n ? n.getNameAsString()
                : scope instanceof TypeExpr t ? t.getTypeAsString() : null;
        if (typeName != null && !typeName.isEmpty() && Character.isUpperCase(typeName.charAt(0))) {
            String q = qualify(site, typeName);
            if (q != null) {
                out.add(new Callee.External(q, name));
            }
        }
        return out;
    }

    /** The class a static import brings {@code name} from. */
    private static String staticImport(Node site, String name) {
        CompilationUnit cu = site.findCompilationUnit().orElse(null);
        if (cu == null) {
            return null;
        }
        for (ImportDeclaration i : cu.getImports()) {
            if (!i.isStatic()) {
                continue;
            }
            String n = i.getNameAsString();
            if (!i.isAsterisk() && n.endsWith("." + name)) {
                return n.substring(0, n.length() - name.length() - 1);
            }
            if (i.isAsterisk() && declares(n, name)) {
                return n;
            }
        }
        return null;
    }

    private static boolean declares(String className, String method) {
        try {
            for (Method m : Class.forName(className, false, CallResolver.class.getClassLoader()).getMethods()) {
                if (m.getName().equals(method)) {
                    return true;
                }
            }
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        return false;
    }

    /** A simple type name made qualified through the imports, {@code java.lang} or the SDK. */
    private static String qualify(Node site, String simple) {
        CompilationUnit cu = site.findCompilationUnit().orElse(null);
        if (cu != null) {
            for (ImportDeclaration i : cu.getImports()) {
                if (!i.isStatic() && !i.isAsterisk() && i.getNameAsString().endsWith("." + simple)) {
                    return i.getNameAsString();
                }
            }
        }
        for (String pkg : List.of("java.lang.", "dev.ksim.sdk.")) {
            try {
                Class.forName(pkg + simple, false, CallResolver.class.getClassLoader());
                return pkg + simple;
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next package
            }
        }
        return null;
    }
}
