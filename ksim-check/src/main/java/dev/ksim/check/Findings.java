package dev.ksim.check;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.expr.AnnotationExpr;
import com.github.javaparser.ast.expr.ArrayInitializerExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.SingleMemberAnnotationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.nodeTypes.NodeWithAnnotations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects findings, dropping suppressed ones and repeats (the same rule at the same place, e.g. a
 * sleeping helper reached from two handlers).
 *
 * <p>Suppression: {@code @SuppressWarnings("ksim:RULE-ID")} on the class, method, constructor or field
 * declaration that contains the reported code; {@code "ksim:all"} suppresses every rule there. javac
 * ignores the unknown keys, so no SDK annotation is needed.
 */
final class Findings {
    /** The {@code @SuppressWarnings} prefix of ksim's rule ids. */
    static final String PREFIX = "ksim:";

    private final List<Diagnostic> out = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    /**
     * Reports a finding unless it is suppressed where it is, or was reported there already.
     *
     * @param rule the rule
     * @param file the node's file
     * @param node the code at fault
     * @param message what is wrong
     * @param notes context
     */
    void report(Rule rule, Path file, Node node, String message, List<Diagnostic.Note> notes) {
        if (suppressed(rule, node)) {
            return;
        }
        Location at = Location.of(file, node);
        if (seen.add(rule.id + "@" + at)) {
            out.add(new Diagnostic(rule, rule.severity, at, message, notes));
        }
    }

    /** @return the findings in report order */
    List<Diagnostic> all() {
        return List.copyOf(out);
    }

    /**
     * @param rule a rule
     * @param node a node
     * @return whether an enclosing declaration suppresses the rule
     */
    static boolean suppressed(Rule rule, Node node) {
        for (Node n = node; n != null; n = n.getParentNode().orElse(null)) {
            if (n instanceof NodeWithAnnotations<?> a) {
                for (AnnotationExpr ann : a.getAnnotations()) {
                    if (ann.getNameAsString().endsWith("SuppressWarnings") && names(ann, rule)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean names(AnnotationExpr ann, Rule rule) {
        List<Expression> values = new ArrayList<>();
        Expression v = ann instanceof SingleMemberAnnotationExpr s ? s.getMemberValue()
                : ModuleModel.member(ann, "value").orElse(null);
        if (v instanceof ArrayInitializerExpr arr) {
            values.addAll(arr.getValues());
        } else if (v != null) {
            values.add(v);
        }
        for (Expression e : values) {
            if (e instanceof StringLiteralExpr s
                    && (s.getValue().equals(PREFIX + rule.id) || s.getValue().equals(PREFIX + "all"))) {
                return true;
            }
        }
        return false;
    }
}
