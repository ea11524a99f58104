package dev.ksim.cli.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed command line in the subset of the shell language ksim scripts use: words with {@code '…'},
 * {@code "…"} and backslash quoting, {@code #} comments, output redirection ({@code > FILE},
 * {@code >> FILE}) and lists joined by {@code ;}, {@code &&}, {@code ||} and {@code &} (background).
 *
 * @param commands the simple commands in order
 */
public record Script(List<Command> commands) {
    /** How a command is joined to the next one. */
    public enum Joiner {
        /** {@code ;} or end of line: run the next one regardless. */
        SEQUENCE,
        /** {@code &&}: run the next one if this one succeeded. */
        AND,
        /** {@code ||}: run the next one if this one failed. */
        OR,
        /** {@code &}: run this one in the background. */
        BACKGROUND
    }

    /**
     * One simple command.
     *
     * @param words its words after quote removal
     * @param redirect {@code ">"} or {@code ">>"}, or null
     * @param target the redirection's file, or null
     * @param joiner how it is joined to the next command
     */
    public record Command(List<String> words, String redirect, String target, Joiner joiner) {
    }

    /** A line the shell cannot parse; the message is bash's. */
    public static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;

        /** @param message what is wrong, in bash's words */
        public SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    private record Token(String text, boolean op) {
    }

    /**
     * Parses a line.
     *
     * @param line the line
     * @return its commands (none for an empty line or a comment)
     * @throws SyntaxError if quotes are unbalanced or an operator is misplaced
     */
    public static Script parse(String line) throws SyntaxError {
        return fromTokens(tokenize(line));
    }

    /**
     * Builds commands from words already split (a command's argv): operator words ({@code >},
     * {@code >>}, {@code ;}, {@code &&}, {@code ||}, {@code &}) act as in a line.
     *
     * @param argv the words
     * @return its commands
     * @throws SyntaxError if an operator is misplaced
     */
    public static Script ofArgv(List<String> argv) throws SyntaxError {
        List<Token> t = new ArrayList<>();
        for (String a : argv) {
            t.add(new Token(a, isOperator(a)));
        }
        return fromTokens(t);
    }

    private static boolean isOperator(String s) {
        return s.equals(">") || s.equals(">>") || s.equals(";") || s.equals("&&") || s.equals("||") || s.equals("&")
                || s.equals("|") || s.equals("<");
    }

    private static List<Token> tokenize(String line) throws SyntaxError {
        List<Token> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == '\'' ) {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new SyntaxError("unexpected EOF while looking for matching `''");
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = line.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                        word.append(line.charAt(i + 1));
                        i += 2;
                    } else {
                        word.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw new SyntaxError("unexpected EOF while looking for matching `\"'");
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 < n) {
                    word.append(line.charAt(i + 1));
                }
                inWord = true;
                i += 2;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(new Token(word.toString(), false));
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '#' && !inWord) {
                break;
            } else if (c == '>' || c == ';' || c == '&' || c == '|' || c == '<') {
                if (inWord) {
                    out.add(new Token(word.toString(), false));
                    word.setLength(0);
                    inWord = false;
                }
                String op = String.valueOf(c);
                if (i + 1 < n && ((c == '>' && line.charAt(i + 1) == '>') || (c == '&' && line.charAt(i + 1) == '&')
                        || (c == '|' && line.charAt(i + 1) == '|'))) {
                    op += line.charAt(i + 1);
                }
                out.add(new Token(op, true));
                i += op.length();
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            out.add(new Token(word.toString(), false));
        }
        return out;
    }

    private static Script fromTokens(List<Token> tokens) throws SyntaxError {
        List<Command> cmds = new ArrayList<>();
        List<String> words = new ArrayList<>();
        String redirect = null;
        String target = null;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (!t.op) {
                words.add(t.text);
                continue;
            }
            switch (t.text) {
                case ">", ">>" -> {
                    if (i + 1 >= tokens.size() || tokens.get(i + 1).op) {
                        throw new SyntaxError("syntax error near unexpected token `"
                                + (i + 1 < tokens.size() ? tokens.get(i + 1).text : "newline") + "'");
                    }
                    redirect = t.text;
                    target = tokens.get(++i).text;
                }
                case "|", "<" -> throw new SyntaxError("`" + t.text + "': pipes and input redirection are not supported");
                default -> {
                    if (words.isEmpty()) {
                        throw new SyntaxError("syntax error near unexpected token `" + t.text + "'");
                    }
                    Joiner j = switch (t.text) {
                        case "&&" -> Joiner.AND;
                        case "||" -> Joiner.OR;
                        case "&" -> Joiner.BACKGROUND;
                        default -> Joiner.SEQUENCE;
                    };
                    cmds.add(new Command(List.copyOf(words), redirect, target, j));
                    words.clear();
                    redirect = null;
                    target = null;
                }
            }
        }
        if (!words.isEmpty()) {
            cmds.add(new Command(List.copyOf(words), redirect, target, Joiner.SEQUENCE));
        } else if (redirect != null) {
            throw new SyntaxError("syntax error near unexpected token `newline'");
        } else if (!cmds.isEmpty() && (cmds.get(cmds.size() - 1).joiner == Joiner.AND
                || cmds.get(cmds.size() - 1).joiner == Joiner.OR)) {
            throw new SyntaxError("syntax error: unexpected end of file");
        }
        return new Script(cmds);
    }

    /**
     * Quotes a word as {@code set -x} shows it: plain if safe, else in single quotes.
     *
     * @param w a word
     * @return it, quoted if needed
     */
    public static String quote(String w) {
        if (!w.isEmpty() && w.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || "-_./=:,+@%^".indexOf(ch) >= 0)) {
            return w;
        }
        return "'" + w.replace("'", "'\\''") + "'";
    }
}
