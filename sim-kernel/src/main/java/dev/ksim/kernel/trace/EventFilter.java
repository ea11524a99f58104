package dev.ksim.kernel.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An event's {@code filter} ({@code kernel/trace/trace_events_filter.c}): predicates {@code FIELD OP VALUE} over
 * the event's fields, {@code common_pid}, {@code CPU} and {@code COMM}, joined with {@code &&} and {@code ||}
 * ({@code &&} binds tighter), negated with {@code !} and grouped with parentheses. Numeric fields take
 * {@code == != < <= > >= &} against a number ({@code 0x…} allowed, compared at the field's size and
 * signedness); string fields {@code == != ~} against a quoted string ({@code ~} is a glob). Errors are the
 * kernel's {@code err_text[]} at the kernel's positions. Immutable.
 */
final class EventFilter {
    /** No filter: every event passes; the file reads {@code none}. */
    static final EventFilter NONE = new EventFilter("none", null);

    /** {@code MAX_FILTER_STR_VAL}. */
    private static final int MAX_FILTER_STR_VAL = 256;

    /** A filter the kernel rejects ({@code struct filter_parse_error}). */
    static final class FilterError extends Exception {
        private static final long serialVersionUID = 1L;
        /** {@code lasterr_pos}. */
        final int pos;

        FilterError(String message, int pos) {
            super(message);
            this.pos = pos;
        }
    }

    /** One predicate, or a combination, evaluated against an event's values. */
    private interface Node {
        boolean eval(Object[][] values, int pid, int cpu, String comm);
    }

    private final String text;
    private final Node root;

    private EventFilter(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** @return the {@code filter} file's contents ({@code print_event_filter}) */
    String show() {
        return text.endsWith("\n") ? text : text + "\n";
    }

    boolean matches(Object[][] values, int pid, int cpu, String comm) {
        return root == null || root.eval(values, pid, cpu, comm);
    }

    /**
     * The state after a rejected write ({@code append_filter_err}): no predicate applies, and the file shows the
     * filter with a caret under the error and {@code parse_error: …}.
     *
     * @param written the filter written
     * @param e the error (without a message when the kernel had no error text: {@code Error: (0)})
     * @return the filter
     */
    static EventFilter rejected(String written, FilterError e) {
        String s = written.strip();
        if (e == null || e.getMessage() == null) {
            return new EventFilter(s + "\nError: (0)\n", null);
        }
        // "%*s" of the position plus one ("indexing is off by one"): the caret lands under that column.
        int pos = Math.min(e.pos, s.length());
        return new EventFilter(s + "\n" + " ".repeat(pos) + "^\nparse_error: " + e.getMessage() + "\n", null);
    }

    /**
     * Parses a filter for an event.
     *
     * @param text what was written
     * @param args the event's fields
     * @return the filter ({@link #NONE} for {@code 0})
     * @throws FilterError with the kernel's parse error, or with a null message for an error without text
     */
    static EventFilter parse(String text, List<ProbeArg> args) throws FilterError {
        String s = text.strip();
        if (s.equals("0")) {
            return NONE;
        }
        calcStack(s);
        Parser p = new Parser(s, args);
        Node n = p.or();
        if (n == null) {
            throw new FilterError(null, 0);
        }
        return new EventFilter(s, n);
    }

    /** {@code calc_stack()}: quotes and parentheses must balance before anything else is looked at. */
    private static void calcStack(String s) throws FilterError {
        int open = 1;
        char quote = 0;
        int lastQuote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                continue;
            }
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                lastQuote = i;
            } else if (c == '(') {
                open++;
            } else if (c == ')') {
                if (open == 1) {
                    throw new FilterError("Too few '('", i);
                }
                open--;
            }
        }
        if (quote != 0) {
            throw new FilterError("Missing matching quote", lastQuote);
        }
        if (open != 1) {
            int level = open;
            for (int i = s.length() - 1; i > 0; i--) {
                char c = s.charAt(i);
                if (c == '(') {
                    if (level == open) {
                        throw new FilterError("Too many '('", i);
                    }
                    level--;
                } else if (c == ')') {
                    level++;
                }
            }
            throw new FilterError("Too many '('", 0);
        }
    }

    /** {@code predicate_parse()} and {@code parse_pred()}, as recursive descent with the same errors. */
    private static final class Parser {
        final String s;
        final List<ProbeArg> args;
        int pos;

        Parser(String s, List<ProbeArg> args) {
            this.s = s;
            this.args = args;
        }

        private char at(int i) {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void skip() {
            while (Character.isWhitespace(at(pos))) {
                pos++;
            }
        }

        /** A sequence of terms joined by {@code ||}. */
        Node or() throws FilterError {
            Node left = and();
            while (left != null && at(pos) == '|' && at(pos + 1) == '|') {
                pos += 2;
                Node l = left;
                Node r = and();
                if (r == null) {
                    return null;
                }
                left = (v, pid, cpu, comm) -> l.eval(v, pid, cpu, comm) || r.eval(v, pid, cpu, comm);
            }
            return left;
        }

        /** A sequence of terms joined by {@code &&}. */
        Node and() throws FilterError {
            Node left = term();
            while (left != null && at(pos) == '&' && at(pos + 1) == '&') {
                pos += 2;
                Node l = left;
                Node r = term();
                if (r == null) {
                    return null;
                }
                left = (v, pid, cpu, comm) -> l.eval(v, pid, cpu, comm) && r.eval(v, pid, cpu, comm);
            }
            return left;
        }

        /** {@code (…)}, {@code !term} or a predicate, then what may follow it. */
        Node term() throws FilterError {
            skip();
            Node n;
            if (at(pos) == '(') {
                pos++;
                n = or();
                skip();
                if (n == null) {
                    return null;
                }
                pos++; // the ')' calc_stack() guaranteed
            } else if (at(pos) == '!' && at(pos + 1) != '=' && at(pos + 1) != '~') {
                pos++;
                Node inner = term();
                if (inner == null) {
                    return null;
                }
                n = (v, pid, cpu, comm) -> !inner.eval(v, pid, cpu, comm);
            } else {
                n = predicate();
                if (n == null) {
                    return null;
                }
            }
            skip();
            char c = at(pos);
            boolean ok = c == '\0' || c == ')' || ((c == '&' || c == '|') && at(pos + 1) == c);
            if (!ok) {
                throw new FilterError("Too many terms in predicate expression", pos);
            }
            return n;
        }

        /** {@code parse_pred()}: null when there is no field name (the kernel's bare -1). */
        Node predicate() throws FilterError {
            int base = pos + 1; // parse_pred() gets the position after the predicate's first character
            int start = pos;
            int i = pos;
            while (Character.isLetterOrDigit(at(i)) || at(i) == '_') {
                i++;
            }
            if (i == start) {
                return null;
            }
            String field = s.substring(start, i);
            int index = -1;
            for (int a = 0; a < args.size(); a++) {
                if (args.get(a).name().equals(field)) {
                    index = a;
                }
            }
            boolean special = field.equals("common_pid") || field.equalsIgnoreCase("cpu")
                    || field.equalsIgnoreCase("comm");
            if (index < 0 && !special) {
                throw new FilterError("Field not found", base + (i - start));
            }
            while (Character.isWhitespace(at(i))) {
                i++;
            }
            String op = null;
            for (String o : new String[] {"~", "!=", "==", "<=", "<", ">=", ">", "&"}) {
                if (s.startsWith(o, i)) {
                    op = o;
                    break;
                }
            }
            if (op == null) {
                throw new FilterError("Invalid operator", base + (i - start));
            }
            i += op.length();
            while (Character.isWhitespace(at(i))) {
                i++;
            }
            int valStart = i;
            boolean stringField = index >= 0 ? args.get(index).type().isString() : field.equalsIgnoreCase("comm");
            Node n;
            char c = at(i);
            if (c == '\'' || c == '"') {
                if (!op.equals("!=") && !op.equals("~") && !op.equals("==")) {
                    throw new FilterError("Illegal operation for field type", base + (i - start));
                }
                if (!stringField) {
                    throw new FilterError("Expecting numeric field", base + (i - start));
                }
                int end = s.indexOf(c, i + 1);
                String value = s.substring(i + 1, end);
                if (value.length() >= MAX_FILTER_STR_VAL) {
                    throw new FilterError("Operand too long", base + (end - start));
                }
                i = end + 1;
                n = stringPredicate(index, op, value);
            } else if (Character.isDigit(c)) {
                if (stringField) {
                    throw new FilterError("Expecting string field", base + (i - start));
                }
                if (op.equals("~")) {
                    throw new FilterError("Illegal operation for field type", base + (i - start));
                }
                while (Character.isLetterOrDigit(at(i))) {
                    i++;
                }
                String num = s.substring(valStart, i);
                if (num.length() >= 24) {
                    throw new FilterError("Operand too long", base + (i - start));
                }
                boolean signed = index >= 0 ? args.get(index).type().signed() : !field.equalsIgnoreCase("cpu");
                Long v = signed ? Kstrto.l(num) : Kstrto.ul(num);
                if (v == null) {
                    throw new FilterError("Illegal integer value", base + (valStart - start));
                }
                int bits = index >= 0 ? args.get(index).type().size() * 8 : 32;
                n = numberPredicate(index, field, op, v, bits, signed);
            } else {
                throw new FilterError("Invalid value (did you forget quotes)?", base + (i - start));
            }
            pos = i;
            return n;
        }
    }

    private static Node stringPredicate(int index, String op, String value) {
        // filter_parse_regex(): for ~, a leading '!' inverts the match.
        boolean negated = op.equals("~") && value.startsWith("!");
        boolean not = op.equals("!=") || negated;
        Pattern glob = op.equals("~") ? globPattern(negated ? value.substring(1) : value) : null;
        return (v, pid, cpu, comm) -> {
            Object x = index >= 0 ? v[index][0] : comm;
            boolean match = x != null && (glob != null ? glob.matcher((String) x).matches() : value.equals(x));
            return match ^ not;
        };
    }

    private static Node numberPredicate(int index, String field, String op, long rhs, int bits, boolean signed) {
        return (v, pid, cpu, comm) -> {
            long x = index >= 0 ? (Long) v[index][0] : field.equalsIgnoreCase("cpu") ? cpu : pid;
            long a = narrow(x, bits, signed);
            long b = narrow(rhs, bits, signed);
            int cmp = signed ? Long.compare(a, b) : Long.compareUnsigned(a, b);
            return switch (op) {
                case "==" -> a == b;
                case "!=" -> a != b;
                case "<" -> cmp < 0;
                case "<=" -> cmp <= 0;
                case ">" -> cmp > 0;
                case ">=" -> cmp >= 0;
                default -> (a & b) != 0;
            };
        };
    }

    /** The value as the field's C type holds it ({@code (s32)val}, {@code (u16)val} …). */
    private static long narrow(long v, int bits, boolean signed) {
        if (bits >= 64) {
            return v;
        }
        return signed ? (v << (64 - bits)) >> (64 - bits) : v & ((1L << bits) - 1);
    }

    /** {@code glob_match()}: {@code *}, {@code ?}, {@code [set]} and {@code \} escapes. */
    static Pattern globPattern(String glob) {
        StringBuilder re = new StringBuilder();
        List<Character> specials = new ArrayList<>(List.of('.', '(', ')', '+', '{', '}', '^', '$', '|'));
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else if (c == '[') {
                int end = glob.indexOf(']', i + 1);
                if (end < 0) {
                    re.append("\\[");
                } else {
                    String set = glob.substring(i + 1, end);
                    re.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
                    i = end;
                }
            } else if (c == '\\' && i + 1 < glob.length()) {
                re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else if (specials.contains(c)) {
                re.append('\\').append(c);
            } else {
                re.append(c);
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
