package dev.ksim.check;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.MethodReferenceExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Everything that runs in handler context: from each handler a module sets, the handler's body and,
 * through every call the {@link CallResolver} resolves to the module's own code, the bodies of the
 * methods it calls, with the chain that leads there. Calls out of the module (SDK, JDK) are recorded,
 * not followed. A method is walked once per handler, with the first chain found.
 */
final class HandlerReach {
    /** Nodes run in handler context, in walk order. */
    final List<Visit> visits = new ArrayList<>();
    /** Calls out of the module made in handler context. */
    final List<ExternalCall> externalCalls = new ArrayList<>();
    /** Calls back into a method already on the chain. */
    final List<Recursion> recursions = new ArrayList<>();
    /** Handlers the walk could not follow. */
    final List<ModuleModel.HandlerSite> unresolved = new ArrayList<>();

    /**
     * How a handler reaches a node.
     *
     * @param site the handler's registration
     * @param steps the methods entered, handler first: {@code handler_pre()}, {@code slow_path()}
     */
    record Chain(ModuleModel.HandlerSite site, List<String> steps) {
        Chain then(String step) {
            List<String> s = new ArrayList<>(steps);
            s.add(step);
            return new Chain(site, List.copyOf(s));
        }

        /**
         * @param last the final step, e.g. {@code Kernel.msleep()}, or {@code null}
         * @return e.g. {@code kp.pre_handler -> handler_pre() -> slow_path() -> Kernel.msleep()}
         */
        String render(String last) {
            StringBuilder b = new StringBuilder(site.struct()).append('.').append(field(site.role()));
            for (String s : steps) {
                b.append(" -> ").append(s);
            }
            if (last != null) {
                b.append(" -> ").append(last);
            }
            return b.toString();
        }

        private static String field(String role) {
            return role.startsWith("jprobe") ? "entry" : role.substring(role.indexOf(' ') + 1);
        }
    }

    /**
     * @param node a node run in handler context
     * @param file its file
     * @param chain how the handler reaches it
     */
    record Visit(Node node, Path file, Chain chain) {
    }

    /**
     * @param call the call
     * @param callee the SDK or JDK method
     * @param file the call's file
     * @param chain how the handler reaches the call
     */
    record ExternalCall(MethodCallExpr call, Callee.External callee, Path file, Chain chain) {
    }

    /**
     * @param call the recursive call
     * @param file its file
     * @param chain the chain up to the caller
     * @param target the method called again
     */
    record Recursion(Node call, Path file, Chain chain, String target) {
    }

    private final CallResolver resolver;
    private final ModuleModel module;

    private HandlerReach(ModuleModel module, CallResolver resolver) {
        this.module = module;
        this.resolver = resolver;
    }

    /**
     * Walks every handler of a module.
     *
     * @param module the module
     * @param resolver resolves its calls
     * @return what runs in handler context
     */
    static HandlerReach of(ModuleModel module, CallResolver resolver) {
        HandlerReach r = new HandlerReach(module, resolver);
        for (ModuleModel.HandlerSite h : module.handlers) {
            r.walkHandler(h);
        }
        return r;
    }

    private void walkHandler(ModuleModel.HandlerSite h) {
        Set<Node> done = Collections.newSetFromMap(new IdentityHashMap<>());
        if (!root(h, h.handler(), new Chain(h, List.of()), done, 0)) {
            unresolved.add(h);
        }
    }

    /** Starts the walk at a handler expression; false if it cannot be followed. */
    private boolean root(ModuleModel.HandlerSite h, Expression e, Chain chain, Set<Node> done, int depth) {
        if (depth > 4) {
            return false;
        }
        if (e instanceof CastExpr c) {
            return root(h, c.getExpression(), chain, done, depth + 1);
        }
        if (e instanceof EnclosedExpr en) {
            return root(h, en.getInner(), chain, done, depth + 1);
        }
        if (e instanceof NullLiteralExpr) {
            return true;
        }
        if (e instanceof LambdaExpr l) {
            walk(l.getBody(), module.file, chain.then("lambda at line " + module.at(l).line()), done,
                    Collections.newSetFromMap(new IdentityHashMap<>()));
            return true;
        }
        if (e instanceof MethodReferenceExpr ref) {
            List<Callee> targets = resolver.resolve(ref);
            boolean any = false;
            for (Callee c : targets) {
                if (c instanceof Callee.Internal in) {
                    enter(in, chain, done, Collections.newSetFromMap(new IdentityHashMap<>()), ref);
                    any = true;
                }
            }
            return any;
        }
        if (e instanceof ObjectCreationExpr oc && oc.getAnonymousClassBody().isPresent()) {
            for (BodyDeclaration<?> b : oc.getAnonymousClassBody().get()) {
                if (b instanceof MethodDeclaration m) {
                    enter(new Callee.Internal(module.file, m), chain, done,
                            Collections.newSetFromMap(new IdentityHashMap<>()), oc);
                }
            }
            return true;
        }
        if (e instanceof NameExpr || e instanceof FieldAccessExpr) {
            String name = e instanceof NameExpr n ? n.getNameAsString() : ((FieldAccessExpr) e).getNameAsString();
            return module.fieldInitializer(name).map(init -> root(h, init, chain, done, depth + 1)).orElse(false);
        }
        return false;
    }

    private void enter(Callee.Internal in, Chain chain, Set<Node> done, Set<Node> path, Node site) {
        CallableDeclaration<?> d = in.declaration();
        if (path.contains(d)) {
            recursions.add(new Recursion(site, in.file(), chain, in.display()));
            return;
        }
        if (!done.add(d)) {
            return;
        }
        path.add(d);
        walk(d, in.file(), chain.then(in.display()), done, path);
        path.remove(d);
    }

    private void walk(Node body, Path file, Chain chain, Set<Node> done, Set<Node> path) {
        List<Node> nodes = new ArrayList<>();
        body.walk(nodes::add);
        for (Node n : nodes) {
            visits.add(new Visit(n, file, chain));
            List<Callee> callees = n instanceof MethodCallExpr call ? resolver.resolve(call)
                    : n instanceof MethodReferenceExpr ref ? resolver.resolve(ref) : List.of();
            for (Callee c : callees) {
                if (c instanceof Callee.Internal in) {
                    enter(in, chain, done, path, n);
                } else if (n instanceof MethodCallExpr call) {
                    externalCalls.add(new ExternalCall(call, (Callee.External) c, file, chain));
                }
            }
        }
    }
}
