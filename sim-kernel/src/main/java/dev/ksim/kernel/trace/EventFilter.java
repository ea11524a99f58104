package dev.ksim.kernel.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * An event's {@code filter} ({@code kernel/trace/trace_events_filter.c}): predicates {@code FIELD OP VALUE}
 * over the event's fields and {@code common_pid}, joined with {@code &&} and {@code ||} ({@code &&} binds
 * tighter) and grouped with parentheses. Numeric fields take {@code == != < <= > >= &}; string fields
 * {@code == != ~} (glob). {@code 0} clears the filter. Immutable.
 */
final class EventFilter {
    /** No filter: every event passes; the file reads {@code none}. */
    static final EventFilter NONE = new EventFilter("none", null);

    /** A filter the kernel rejects; its text is what the {@code filter} file then shows. */
    static final class FilterError extends Exception {
        private static final long serialVersionUID = 1L;
        final int pos;

        FilterError(String message, int pos) {
            super(message);
            this.pos = pos;
        }
    }

    private interface Node {
        boolean eval(List<ProbeArg> args, Object[][] values, int pid);
    }

    private final String text;
    private final Node root;

    private EventFilter(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** @return the {@code filter} file's contents */
    String show() {
        return text.endsWith("\n") ? text : text + "\n";
    }

    /**
     * The state after a rejected write ({@code append_filter_err}): no predicate applies, and the file shows the
     * filter with a caret and the parse error.
     *
     * @param written the filter written
     * @param e the error
     * @return the filter
     */
    static EventFilter rejected(String written, FilterError e) {
        return new EventFilter(errorText(written, e), null);
    }

    boolean matches(List<ProbeArg> args, Object[][] values, int pid) {
        return root == null || root.eval(args, values, pid);
    }

    /**
     * Parses a filter for an event.
     *
     * @param text what was written
     * @param args the event's fields
     * @return the filter ({@link #NONE} for {@code 0})
     * @throws FilterError with the kernel's parse-error text
     */
    static EventFilter parse(String text, List<ProbeArg> args) throws FilterError {
        String s = text.strip();
        if (s.equals("0")) {
            return NONE;
        }
        Parser p = new Parser(s, args);
        Node n = p.or();
        p.skip();
        if (p.pos < s.length()) {
            throw new FilterError(s.charAt(p.pos) == ')' ? "Too few '('" : "Meaningless filter expression", p.pos);
        }
        return new EventFilter(s, n);
    }

    /**
     * The text the {@code filter} file shows after a rejected write ({@code append_filter_err}).
     *
     * @param text the filter written
     * @param e the error
     * @return the file's contents
     */
    static String errorText(String text, FilterError e) {
        return text.strip() + "\n" + " ".repeat(Math.max(0, e.pos)) + "^\nparse_error: " + e.getMessage() + "\n";
    }

    private static final class Parser {
        final String s;
        final List<ProbeArg> args;
        int pos;

        Parser(String s, List<ProbeArg> args) {
            this.s = s;
            this.args = args;
        }

        void skip() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        boolean eat(String tok) {
            skip();
            if (s.startsWith(tok, pos)) {
                pos += tok.length();
                return true;
            }
            return false;
        }

        Node or() throws FilterError {
            Node left = and();
            while (eat("||")) {
                Node l = left;
                Node r = and();
                left = (a, v, pid) -> l.eval(a, v, pid) || r.eval(a, v, pid);
            }
            return left;
        }

        Node and() throws FilterError {
            Node left = term();
            while (eat("&&")) {
                Node l = left;
                Node r = term();
                left = (a, v, pid) -> l.eval(a, v, pid) && r.eval(a, v, pid);
            }
            return left;
        }

        Node term() throws FilterError {
            skip();
            if (eat("(")) {
                int open = pos - 1;
                Node n = or();
                if (!eat(")")) {
                    throw new FilterError("Too many '('", open);
                }
                return n;
            }
            if (eat("!")) {
                Node n = term();
                return (a, v, pid) -> !n.eval(a, v, pid);
            }
            return predicate();
        }

        Node predicate() throws FilterError {
            skip();
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            String field = s.substring(start, pos);
            if (field.isEmpty()) {
                throw new FilterError("Meaningless filter expression", start);
            }
            int index = -1;
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).name().equals(field)) {
                    index = i;
                }
            }
            if (index < 0 && !field.equals("common_pid")) {
                throw new FilterError("Field not found", start);
            }
            skip();
            int opAt = pos;
            String op = null;
            for (String o : new String[] {"==", "!=", "<=", ">=", "<", ">", "&", "~"}) {
                if (s.startsWith(o, pos) && !s.startsWith("&&", pos)) {
                    op = o;
                    break;
                }
            }
            if (op == null) {
                throw new FilterError("Meaningless filter expression", opAt);
            }
            pos += op.length();
            skip();
            int valAt = pos;
            boolean string = index >= 0 && args.get(index).type().isString();
            String value;
            if (pos < s.length() && (s.charAt(pos) == '"' || s.charAt(pos) == '\'')) {
                char q = s.charAt(pos);
                int end = s.indexOf(q, pos + 1);
                if (end < 0) {
                    throw new FilterError("Missing matching quote", valAt);
                }
                value = s.substring(pos + 1, end);
                pos = end + 1;
            } else {
                while (pos < s.length() && !Character.isWhitespace(s.charAt(pos)) && s.charAt(pos) != ')'
                        && s.charAt(pos) != '&' && s.charAt(pos) != '|') {
                    pos++;
                }
                value = s.substring(valAt, pos);
            }
            if (value.isEmpty()) {
                throw new FilterError("Meaningless filter expression", valAt);
            }
            final int fi = index;
            final String fop = op;
            if (string) {
                if (!List.of("==", "!=", "~").contains(op)) {
                    throw new FilterError("Illegal operation for field type", opAt);
                }
                String glob = value;
                return (a, v, pid) -> {
                    Object x = v[fi][0];
                    boolean eq = x != null && (fop.equals("~") ? globMatch(glob, (String) x) : glob.equals(x));
                    return fop.equals("!=") != eq;
                };
            }
            if (op.equals("~")) {
                throw new FilterError("Illegal operation for field type", opAt);
            }
            Long n = Kstrto.l(value);
            if (n == null) {
                n = Kstrto.ul(value);
            }
            if (n == null) {
                throw new FilterError("Illegal integer value", valAt);
            }
            long rhs = n;
            boolean signed = index >= 0 && args.get(index).type().signed();
            return (a, v, pid) -> {
                long x = fi < 0 ? pid : (Long) v[fi][0];
                int c = fi < 0 || signed ? Long.compare(x, rhs) : Long.compareUnsigned(x, rhs);
                return switch (fop) {
                    case "==" -> c == 0;
                    case "!=" -> c != 0;
                    case "<" -> c < 0;
                    case "<=" -> c <= 0;
                    case ">" -> c > 0;
                    case ">=" -> c >= 0;
                    default -> (x & rhs) != 0;
                };
            };
        }
    }

    /** The filter's glob: {@code *} at either end or both, or an exact match. */
    static boolean globMatch(String glob, String s) {
        List<String> parts = new ArrayList<>(List.of(glob.split("\\*", -1)));
        if (parts.size() == 1) {
            return glob.equals(s);
        }
        if (!s.startsWith(parts.get(0))) {
            return false;
        }
        int at = parts.get(0).length();
        for (int i = 1; i < parts.size() - 1; i++) {
            int f = s.indexOf(parts.get(i), at);
            if (f < 0) {
                return false;
            }
            at = f + parts.get(i).length();
        }
        String last = parts.get(parts.size() - 1);
        return s.length() - last.length() >= at && s.endsWith(last);
    }
}
