package dev.ksim.check;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.stmt.BreakStmt;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.ThrowStmt;
import com.github.javaparser.ast.stmt.WhileStmt;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a handler should not do even where it may: loop without an exit or recurse
 * ({@link Rule#HANDLER_LOOP}: the CPU stalls with preemption off, and the watchdog reports a soft
 * lockup), allocate more than a page or on every loop iteration ({@link Rule#HANDLER_ALLOC}: atomic
 * allocations fail under pressure and slow every hit), and call into a function the module itself
 * probes ({@link Rule#HANDLER_REENTERS}: a probe hit inside a handler is not handled, only counted in
 * {@code nmissed}).
 */
final class HandlerHygieneRule implements CheckRule {
    /** {@code PAGE_SIZE}: atomic allocations above it are order > 0. */
    static final long PAGE_SIZE = 4096;

    @Override
    public void check(ModuleModel module, Context context, Findings out) {
        HandlerReach reach = context.reach();
        ConstantInts ints = new ConstantInts(module);
        for (HandlerReach.Visit v : reach.visits) {
            Node n = v.node();
            String role = v.chain().site().role();
            if (isLoop(n) && endless((Statement) n)) {
                out.report(Rule.HANDLER_LOOP, v.file(), n, "loop without an exit in " + role + " context: the CPU "
                        + "spins with preemption off until the watchdog reports a soft lockup", chain(module, v.chain(), null));
            } else if (n instanceof ArrayCreationExpr a) {
                String why = heavyArray(a, ints);
                if (why == null && inLoop(a)) {
                    why = "allocated on every loop iteration";
                }
                if (why != null) {
                    out.report(Rule.HANDLER_ALLOC, v.file(), a, "array " + why + " in " + role + " context",
                            chain(module, v.chain(), null));
                }
            } else if (n instanceof ObjectCreationExpr o && inLoop(o) && !(o.getParentNode().orElse(null)
                    instanceof ThrowStmt)) {
                out.report(Rule.HANDLER_ALLOC, v.file(), o, "new " + o.getTypeAsString() + " on every loop iteration in "
                        + role + " context", chain(module, v.chain(), null));
            }
        }
        for (HandlerReach.Recursion r : reach.recursions) {
            out.report(Rule.HANDLER_LOOP, r.file(), r.call(), "recursive call to " + r.target() + " in "
                    + r.chain().site().role() + " context: its depth is unbounded on the kernel stack",
                    chain(module, r.chain(), r.target()));
        }
        for (HandlerReach.ExternalCall c : reach.externalCalls) {
            String m = c.callee().method();
            if (c.callee().type().equals("dev.ksim.sdk.Kernel") && (m.equals("kmalloc") || m.equals("kzalloc"))
                    && !c.call().getArguments().isEmpty()) {
                OptionalLong size = ints.value(c.call().getArgument(0));
                if (size.isPresent() && size.getAsLong() > PAGE_SIZE) {
                    out.report(Rule.HANDLER_ALLOC, c.file(), c.call(), m + "() of " + size.getAsLong() + " bytes in "
                            + c.chain().site().role() + " context: an atomic allocation above a page often fails",
                            chain(module, c.chain(), c.callee().display()));
                }
            }
            reenters(module, context, c, out);
        }
    }

    private static void reenters(ModuleModel module, Context context, HandlerReach.ExternalCall c, Findings out) {
        Set<String> runs = context.kernel().runsThrough(c.callee().type(), c.callee().method());
        for (ModuleModel.SymbolSite s : module.symbols) {
            if (runs.contains(s.symbol())) {
                List<Diagnostic.Note> notes = new ArrayList<>(chain(module, c.chain(), c.callee().display()));
                notes.add(new Diagnostic.Note(module.at(s.site()), "'" + s.symbol() + "' is probed here"));
                out.report(Rule.HANDLER_REENTERS, c.file(), c.call(), c.callee().display() + " runs " + s.symbol()
                        + ", which this module probes: a hit inside a handler is not handled, only counted in "
                        + "nmissed", notes);
                return;
            }
        }
    }

    private static List<Diagnostic.Note> chain(ModuleModel module, HandlerReach.Chain chain, String last) {
        return List.of(new Diagnostic.Note(module.at(chain.site().site()), "call chain: " + chain.render(last)));
    }

    private static boolean isLoop(Node n) {
        return n instanceof WhileStmt || n instanceof DoStmt || n instanceof ForStmt || n instanceof ForEachStmt;
    }

    /** A loop whose condition is constant true and whose body has no break, return or throw. */
    private static boolean endless(Statement loop) {
        Optional<Expression> cond = loop instanceof WhileStmt w ? Optional.of(w.getCondition())
                : loop instanceof DoStmt d ? Optional.of(d.getCondition())
                : loop instanceof ForStmt f ? f.getCompare() : null;
        if (cond == null) {
            return false;
        }
        boolean alwaysTrue = cond.isEmpty() || cond.get() instanceof BooleanLiteralExpr b && b.getValue();
        return alwaysTrue && loop.findFirst(BreakStmt.class).isEmpty() && loop.findFirst(ReturnStmt.class).isEmpty()
                && loop.findFirst(ThrowStmt.class).isEmpty();
    }

    private static String heavyArray(ArrayCreationExpr a, ConstantInts ints) {
        if (a.getInitializer().isPresent()) {
            return null;
        }
        long bytes = elementSize(a.getElementType().asString());
        for (var level : a.getLevels()) {
            Optional<Expression> dim = level.getDimension();
            if (dim.isEmpty()) {
                break;
            }
            OptionalLong n = ints.value(dim.get());
            if (n.isEmpty()) {
                return "of a size known only at run time allocated";
            }
            bytes *= n.getAsLong();
        }
        return bytes > PAGE_SIZE ? "of " + bytes + " bytes allocated" : null;
    }

    private static long elementSize(String type) {
        return switch (type) {
            case "byte", "boolean" -> 1;
            case "short", "char" -> 2;
            case "int", "float" -> 4;
            default -> 8;
        };
    }

    /** Whether a loop encloses the node within its own method or lambda. */
    private static boolean inLoop(Node n) {
        for (Node p = n.getParentNode().orElse(null); p != null; p = p.getParentNode().orElse(null)) {
            if (p instanceof CallableDeclaration<?> || p instanceof LambdaExpr) {
                return false;
            }
            if (isLoop(p)) {
                return true;
            }
        }
        return false;
    }
}
