package dev.ksim.check;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.MemberValuePair;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NormalAnnotationExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a module class declares, read from its syntax tree: its probe structs, the handlers set on them,
 * the symbols they probe, the struct fields assigned, its {@code init()} and {@code exit()}, and its
 * {@code @ModuleInfo}. Structs are named by the expression that denotes them, {@code this.} dropped and a
 * kretprobe's or jprobe's {@code .kp} folded into its owner ({@code my_kretprobe.kp.symbol_name} sets the
 * symbol of {@code my_kretprobe}).
 */
final class ModuleModel {
    /** The file as given. */
    final Path file;
    /** The file's syntax tree. */
    final CompilationUnit unit;
    /** The class implementing {@code KernelModule}. */
    final ClassOrInterfaceDeclaration type;
    /** Probe structs by name. */
    final Map<String, ProbeKind> structs = new LinkedHashMap<>();
    /** Handlers set on structs, in source order. */
    final List<HandlerSite> handlers = new ArrayList<>();
    /** Symbols probed, in source order. */
    final List<SymbolSite> symbols = new ArrayList<>();
    /** Structs given a {@code symbol_name} (so registering them again needs {@code addr} cleared). */
    final java.util.Set<String> namedStructs = new java.util.LinkedHashSet<>();
    /** Fields of structs assigned, in source order. */
    final List<FieldSet> fieldSets = new ArrayList<>();

    /**
     * A handler set on a struct: {@code kp.pre_handler = this::handler_pre}, or a jprobe's constructor.
     *
     * @param struct the struct's name
     * @param role how the kernel calls it, e.g. {@code kprobe pre_handler}
     * @param handler the handler expression
     * @param site the assignment or constructor call
     */
    record HandlerSite(String struct, String role, Expression handler, Node site) {
    }

    /**
     * A probed symbol known at compile time.
     *
     * @param struct the struct's name
     * @param kind its kind
     * @param symbol the symbol
     * @param site the expression giving it
     * @param via {@code null} for a literal, else where the value comes from (a field's initial value)
     */
    record SymbolSite(String struct, ProbeKind kind, String symbol, Node site, String via) {
    }

    /**
     * An assignment to a struct's field.
     *
     * @param struct the struct's name
     * @param kind its kind
     * @param field the field ({@code offset}, {@code maxactive}, {@code addr} …)
     * @param value the value assigned
     * @param site the assignment
     */
    record FieldSet(String struct, ProbeKind kind, String field, Expression value, AssignExpr site) {
    }

    private ModuleModel(Path file, CompilationUnit unit, ClassOrInterfaceDeclaration type) {
        this.file = file;
        this.unit = unit;
        this.type = type;
        collectStructs();
        type.findAll(AssignExpr.class).forEach(this::assignment);
        type.findAll(ObjectCreationExpr.class).forEach(this::creation);
    }

    /**
     * @param file the file
     * @param unit its syntax tree
     * @return a model per class of the file implementing {@code KernelModule}
     */
    static List<ModuleModel> of(Path file, CompilationUnit unit) {
        List<ModuleModel> out = new ArrayList<>();
        for (ClassOrInterfaceDeclaration c : unit.findAll(ClassOrInterfaceDeclaration.class)) {
            boolean module = c.getImplementedTypes().stream()
                    .anyMatch(t -> t.getNameAsString().equals("KernelModule"));
            if (module && !c.isInterface()) {
                out.add(new ModuleModel(file, unit, c));
            }
        }
        return out;
    }

    /** @return the module's name as insmod names it after its file */
    String moduleName() {
        return dev.ksim.loader.image.ModuleNames.fromFileName(file.getFileName().toString());
    }

    /**
     * @param node a node
     * @return where it is
     */
    Location at(Node node) {
        return Location.of(file, node);
    }

    /**
     * @param name a method's name
     * @return the module class's methods of that name
     */
    List<MethodDeclaration> methods(String name) {
        return type.getMethodsByName(name);
    }

    /** @return {@code init()}, if declared */
    Optional<MethodDeclaration> init() {
        return noArg("init");
    }

    /** @return {@code exit()}, if declared */
    Optional<MethodDeclaration> exit() {
        return noArg("exit");
    }

    private Optional<MethodDeclaration> noArg(String name) {
        return methods(name).stream().filter(m -> m.getParameters().isEmpty() && m.getBody().isPresent()).findFirst();
    }

    /** @return the {@code @ModuleInfo} annotation, if present */
    Optional<AnnotationExpr> moduleInfo() {
        return type.getAnnotationByName("ModuleInfo");
    }

    /**
     * @param annotation an annotation
     * @param member one of its members
     * @return the member's value, if given
     */
    static Optional<Expression> member(AnnotationExpr annotation, String member) {
        if (annotation instanceof NormalAnnotationExpr n) {
            for (MemberValuePair p : n.getPairs()) {
                if (p.getNameAsString().equals(member)) {
                    return Optional.of(p.getValue());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The struct an expression denotes.
     *
     * @param e an expression such as {@code this.my_kretprobe.kp}
     * @return its name ({@code my_kretprobe}) if it is a known struct, else {@code null}
     */
    String structOf(Expression e) {
        String s = e.toString().replaceFirst("^this\\.", "");
        if (s.endsWith(".kp")) {
            String owner = s.substring(0, s.length() - 3);
            ProbeKind k = structs.get(owner);
            if (k == ProbeKind.KRETPROBE || k == ProbeKind.JPROBE) {
                return owner;
            }
        }
        return structs.containsKey(s) ? s : null;
    }

    private void collectStructs() {
        for (VariableDeclarator v : type.findAll(VariableDeclarator.class)) {
            ProbeKind k = ProbeKind.ofType(v.getTypeAsString());
            if (k != null) {
                structs.put(v.getNameAsString(), k);
            }
        }
    }

    private void assignment(AssignExpr a) {
        if (!(a.getTarget() instanceof FieldAccessExpr target) || a.getOperator() != AssignExpr.Operator.ASSIGN) {
            return;
        }
        String struct = structOf(target.getScope());
        if (struct == null) {
            return;
        }
        ProbeKind kind = structs.get(struct);
        String field = target.getNameAsString();
        String role = role(kind, field);
        if (role != null) {
            handlers.add(new HandlerSite(struct, role, a.getValue(), a));
        } else if (field.equals("symbol_name")) {
            namedStructs.add(struct);
            symbol(struct, kind, a.getValue());
        } else {
            fieldSets.add(new FieldSet(struct, kind, field, a.getValue(), a));
        }
    }

    private static String role(ProbeKind kind, String field) {
        return switch (field) {
            case "pre_handler", "post_handler", "fault_handler" -> "kprobe " + field;
            case "handler", "entry_handler" -> kind == ProbeKind.KRETPROBE ? "kretprobe " + field : null;
            case "entry" -> kind == ProbeKind.JPROBE ? "jprobe entry handler" : null;
            default -> null;
        };
    }

    private void creation(ObjectCreationExpr c) {
        ProbeKind kind = ProbeKind.ofType(c.getTypeAsString());
        if (kind == null || c.getArguments().isEmpty()) {
            return;
        }
        String struct = c.getParentNode().map(p -> p instanceof VariableDeclarator v ? v.getNameAsString()
                : p instanceof AssignExpr a ? a.getTarget().toString().replaceFirst("^this\\.", "") : null)
                .orElse(null);
        if (struct == null) {
            struct = c.toString();
            structs.putIfAbsent(struct, kind);
        }
        namedStructs.add(struct);
        symbol(struct, kind, c.getArgument(0));
        if (kind == ProbeKind.JPROBE && c.getArguments().size() > 1) {
            handlers.add(new HandlerSite(struct, "jprobe entry handler", c.getArgument(1), c));
        }
    }

    private void symbol(String struct, ProbeKind kind, Expression value) {
        if (value instanceof StringLiteralExpr s) {
            symbols.add(new SymbolSite(struct, kind, s.getValue(), value, null));
        } else if (value instanceof NameExpr || value instanceof FieldAccessExpr) {
            String name = value instanceof NameExpr n ? n.getNameAsString() : ((FieldAccessExpr) value).getNameAsString();
            fieldInitializer(name).ifPresent(init -> {
                if (init instanceof StringLiteralExpr s) {
                    symbols.add(new SymbolSite(struct, kind, s.getValue(), value, "the initial value of field '"
                            + name + "'"));
                }
            });
        }
    }

    /**
     * @param name a field of the module class
     * @return its initializer, if it has one
     */
    Optional<Expression> fieldInitializer(String name) {
        return type.getFieldByName(name).flatMap(f -> f.getVariables().stream()
                .filter(v -> v.getNameAsString().equals(name)).findFirst()).flatMap(VariableDeclarator::getInitializer);
    }

    /** @return the module class's fields */
    List<FieldDeclaration> fields() {
        return type.getFields();
    }
}
