package dev.ksim.check;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.WhileStmt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Registration hygiene: every probe {@code init()} registers is unregistered by {@code exit()}
 * ({@link Rule#EXIT_UNREGISTER}) and on {@code init()}'s own error paths ({@link Rule#INIT_ERROR_PATH}),
 * and a struct registered again first has {@code addr} and {@code flags} cleared ({@link Rule#REREGISTER}).
 * Registrations are followed from {@code init()} and {@code exit()} into the module class's own methods.
 */
final class RegistrationRule implements CheckRule {
    @Override
    public void check(ModuleModel module, Context context, Findings out) {
        MethodDeclaration init = module.init().orElse(null);
        if (init != null) {
            exitUndoesInit(module, init, out);
            new ErrorPaths(module, out).statement(init.getBody().orElseThrow(), new LinkedHashSet<>(), null);
        }
        for (MethodDeclaration m : module.type.getMethods()) {
            reregistrations(module, m, out);
        }
    }

    private static void exitUndoesInit(ModuleModel module, MethodDeclaration init, Findings out) {
        MethodDeclaration exit = module.exit().orElse(null);
        if (exit == null) {
            return; // no module_exit: the module cannot be unloaded, so its handlers are never freed
        }
        Set<String> undone = new LinkedHashSet<>();
        for (MethodCallExpr c : calls(module, exit)) {
            if (isCall(c, true)) {
                undone.add(struct(module, c.getArgument(0)));
            }
        }
        for (MethodCallExpr c : calls(module, init)) {
            if (isCall(c, false) && !undone.contains(struct(module, c.getArgument(0)))) {
                ProbeKind k = ProbeKind.ofRegistration(c.getNameAsString());
                out.report(Rule.EXIT_UNREGISTER, module.file, c, k.cName + " '" + struct(module, c.getArgument(0))
                        + "' registered in init() is not unregistered in exit(): after rmmod its handler is freed "
                        + "code, called on the next hit", List.of(new Diagnostic.Note(module.at(exit.getName()),
                                "exit() does not call un" + c.getNameAsString() + "("
                                        + c.getArgument(0) + ")")));
            }
        }
    }

    /** The register/unregister calls of a method and of the module methods it calls, in source order. */
    private static List<MethodCallExpr> calls(ModuleModel module, MethodDeclaration root) {
        List<MethodCallExpr> out = new ArrayList<>();
        Set<MethodDeclaration> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(module, root, seen, out);
        return out;
    }

    private static void collect(ModuleModel module, MethodDeclaration m, Set<MethodDeclaration> seen,
            List<MethodCallExpr> out) {
        if (!seen.add(m)) {
            return;
        }
        for (MethodCallExpr c : m.findAll(MethodCallExpr.class)) {
            if (isCall(c, false) || isCall(c, true)) {
                out.add(c);
            } else if (c.getScope().isEmpty() || c.getScope().get().isThisExpr()) {
                for (MethodDeclaration callee : module.methods(c.getNameAsString())) {
                    collect(module, callee, seen, out);
                }
            }
        }
    }

    /**
     * @param c a call
     * @param unregister whether to match {@code unregister_*} rather than {@code register_*}
     * @return whether it (un)registers kprobes, kretprobes or jprobes
     */
    static boolean isCall(MethodCallExpr c, boolean unregister) {
        String n = c.getNameAsString();
        return n.startsWith(unregister ? "unregister_" : "register_") && ProbeKind.ofRegistration(n) != null
                && !c.getArguments().isEmpty();
    }

    private static String struct(ModuleModel module, Expression arg) {
        String s = module.structOf(arg);
        return s != null ? s : arg.toString().replaceFirst("^this\\.", "");
    }

    private static void reregistrations(ModuleModel module, MethodDeclaration m, Findings out) {
        List<Node> events = new ArrayList<>();
        m.walk(n -> {
            if (n instanceof MethodCallExpr c && isCall(c, false)
                    || n instanceof AssignExpr a && clears(module, a) != null) {
                events.add(n);
            }
        });
        Set<String> cleared = new LinkedHashSet<>();
        java.util.Map<String, MethodCallExpr> registered = new java.util.HashMap<>();
        for (Node n : events) {
            if (n instanceof AssignExpr a) {
                cleared.add(clears(module, a));
                continue;
            }
            MethodCallExpr c = (MethodCallExpr) n;
            String s = struct(module, c.getArgument(0));
            if (!module.namedStructs.contains(s)) {
                continue;
            }
            boolean clearedAddr = cleared.contains(s + ".addr") && cleared.contains(s + ".flags");
            MethodCallExpr first = registered.get(s);
            Node loop = loop(c, m);
            if (first != null && !clearedAddr) {
                report(module, c, s, "registered again", first, out);
            } else if (first == null && loop != null && !clearedInside(module, loop, s)) {
                report(module, c, s, "registered on every iteration of this loop", null, out);
            }
            registered.put(s, c);
            cleared.remove(s + ".addr");
            cleared.remove(s + ".flags");
        }
    }

    private static void report(ModuleModel module, MethodCallExpr c, String s, String what, MethodCallExpr first,
            Findings out) {
        String kp = module.structs.get(s) == ProbeKind.KPROBE ? s : s + ".kp";
        List<Diagnostic.Note> notes = first == null ? List.of()
                : List.of(new Diagnostic.Note(module.at(first), "first registered here"));
        out.report(Rule.REREGISTER, module.file, c, "'" + s + "' " + what + " without clearing " + kp + ".addr and "
                + kp + ".flags: " + c.getNameAsString() + "() returns -EINVAL, as addr and symbol_name are both set",
                notes);
    }

    /** @return {@code "s.addr"} or {@code "s.flags"} when the assignment sets it to 0, else null */
    private static String clears(ModuleModel module, AssignExpr a) {
        if (!(a.getTarget() instanceof com.github.javaparser.ast.expr.FieldAccessExpr t)
                || !(a.getValue() instanceof IntegerLiteralExpr || a.getValue() instanceof
                        com.github.javaparser.ast.expr.LongLiteralExpr)
                || !a.getValue().toString().replaceAll("[lL]$", "").equals("0")) {
            return null;
        }
        String field = t.getNameAsString();
        String s = module.structOf(t.getScope());
        return s != null && (field.equals("addr") || field.equals("flags")) ? s + "." + field : null;
    }

    private static boolean clearedInside(ModuleModel module, Node loop, String s) {
        List<AssignExpr> as = loop.findAll(AssignExpr.class);
        return as.stream().anyMatch(a -> (s + ".addr").equals(clears(module, a)))
                && as.stream().anyMatch(a -> (s + ".flags").equals(clears(module, a)));
    }

    private static Node loop(Node n, MethodDeclaration within) {
        for (Node p = n.getParentNode().orElse(null); p != null && p != within; p = p.getParentNode().orElse(null)) {
            if (p instanceof ForStmt || p instanceof WhileStmt || p instanceof DoStmt || p instanceof ForEachStmt) {
                return p;
            }
        }
        return null;
    }

    /**
     * Walks {@code init()}'s statements in order with the set of structs registered so far; a
     * {@code return} of anything but 0 with that set non-empty leaks them. Inside the {@code if} that tests
     * a registration's result (directly, or through the variable it was assigned to), that struct is not
     * registered.
     */
    private static final class ErrorPaths {
        private final ModuleModel module;
        private final Findings out;

        ErrorPaths(ModuleModel module, Findings out) {
            this.module = module;
            this.out = out;
        }

        /** @return the registration whose result a following {@code if} may test: variable and struct */
        String[] statement(Statement s, Set<String> registered, String[] pending) {
            if (s instanceof BlockStmt b) {
                String[] p = pending;
                for (Statement st : b.getStatements()) {
                    p = statement(st, registered, p);
                }
                return null;
            }
            if (s instanceof ExpressionStmt e) {
                String[] next = null;
                for (MethodCallExpr c : e.findAll(MethodCallExpr.class)) {
                    if (isCall(c, true)) {
                        registered.remove(struct(module, c.getArgument(0)));
                    } else if (isCall(c, false)) {
                        String st = struct(module, c.getArgument(0));
                        registered.add(st);
                        String var = e.getExpression() instanceof AssignExpr a ? a.getTarget().toString()
                                : e.getExpression().isVariableDeclarationExpr()
                                        ? e.getExpression().asVariableDeclarationExpr().getVariable(0).getNameAsString()
                                        : null;
                        next = new String[] {var, st};
                    }
                }
                return next;
            }
            if (s instanceof IfStmt i) {
                String tested = null;
                for (MethodCallExpr c : i.getCondition().findAll(MethodCallExpr.class)) {
                    if (isCall(c, false)) {
                        tested = struct(module, c.getArgument(0));
                    }
                }
                if (tested == null && pending != null && pending[0] != null && i.getCondition()
                        .findFirst(NameExpr.class, n -> n.getNameAsString().equals(pending[0])).isPresent()) {
                    tested = pending[1];
                }
                Set<String> inThen = new LinkedHashSet<>(registered);
                if (tested != null) {
                    inThen.remove(tested);
                }
                statement(i.getThenStmt(), inThen, null);
                i.getElseStmt().ifPresent(el -> statement(el, new LinkedHashSet<>(registered), null));
                if (tested != null) {
                    registered.add(tested);
                }
                return null;
            }
            if (s instanceof ReturnStmt r) {
                boolean failure = r.getExpression().isPresent()
                        && !r.getExpression().get().toString().equals("0");
                if (failure && !registered.isEmpty()) {
                    out.report(Rule.INIT_ERROR_PATH, module.file, r, "init() fails here with " + String.join(", ",
                            registered.stream().map(x -> "'" + x + "'").toList()) + " still registered: the "
                            + "module is freed while its handlers stay armed; unregister before returning", List.of());
                }
                return null;
            }
            for (Node child : s.getChildNodes()) {
                if (child instanceof Statement st) {
                    statement(st, registered, null);
                }
            }
            return null;
        }
    }
}
