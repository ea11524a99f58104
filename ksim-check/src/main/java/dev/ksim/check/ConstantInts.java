package dev.ksim.check;

import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import java.util.OptionalLong;

/**
 * Integer constant expressions of module code: literals, the arithmetic and shifts javac folds, and
 * names of the module's fields initialised with such expressions ({@code SIZEOF_MY_DATA}).
 */
final class ConstantInts {
    private final ModuleModel module;

    /** @param module where names are looked up */
    ConstantInts(ModuleModel module) {
        this.module = module;
    }

    /**
     * @param e an expression
     * @return its value, or empty if it is not a constant the checker can compute
     */
    OptionalLong value(Expression e) {
        return value(e, 0);
    }

    private OptionalLong value(Expression e, int depth) {
        if (depth > 8) {
            return OptionalLong.empty();
        }
        try {
            if (e instanceof IntegerLiteralExpr i) {
                return OptionalLong.of(i.asNumber().longValue());
            }
            if (e instanceof LongLiteralExpr l) {
                return OptionalLong.of(l.asNumber().longValue());
            }
        } catch (NumberFormatException ex) {
            return OptionalLong.empty();
        }
        if (e instanceof EnclosedExpr en) {
            return value(en.getInner(), depth + 1);
        }
        if (e instanceof CastExpr c) {
            return value(c.getExpression(), depth + 1);
        }
        if (e instanceof UnaryExpr u && u.getOperator() == UnaryExpr.Operator.MINUS) {
            OptionalLong v = value(u.getExpression(), depth + 1);
            return v.isPresent() ? OptionalLong.of(-v.getAsLong()) : v;
        }
        if (e instanceof NameExpr || e instanceof FieldAccessExpr) {
            String name = e instanceof NameExpr n ? n.getNameAsString() : ((FieldAccessExpr) e).getNameAsString();
            return module.fieldInitializer(name).map(init -> value(init, depth + 1)).orElse(OptionalLong.empty());
        }
        if (e instanceof BinaryExpr b) {
            OptionalLong l = value(b.getLeft(), depth + 1);
            OptionalLong r = value(b.getRight(), depth + 1);
            if (l.isEmpty() || r.isEmpty()) {
                return OptionalLong.empty();
            }
            long x = l.getAsLong();
            long y = r.getAsLong();
            return switch (b.getOperator()) {
                case PLUS -> OptionalLong.of(x + y);
                case MINUS -> OptionalLong.of(x - y);
                case MULTIPLY -> OptionalLong.of(x * y);
                case DIVIDE -> y == 0 ? OptionalLong.empty() : OptionalLong.of(x / y);
                case LEFT_SHIFT -> OptionalLong.of(x << y);
                case SIGNED_RIGHT_SHIFT -> OptionalLong.of(x >> y);
                case BINARY_OR -> OptionalLong.of(x | y);
                case BINARY_AND -> OptionalLong.of(x & y);
                default -> OptionalLong.empty();
            };
        }
        return OptionalLong.empty();
    }
}
