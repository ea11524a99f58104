package dev.ksim.check;

import java.util.List;

/**
 * One finding, printed as a compiler prints it:
 * {@code File.java:LINE:COL: error: MESSAGE [rule-id]}, followed by its notes
 * ({@code File.java:LINE:COL: note: …}).
 *
 * @param rule the rule that found it
 * @param severity its severity (the rule's, or error under {@code --Werror})
 * @param at where
 * @param message what is wrong, and what the kernel does about it
 * @param notes context: the call chain, where a handler was registered, a suggestion
 */
public record Diagnostic(Rule rule, Severity severity, Location at, String message, List<Note> notes) {
    public Diagnostic {
        notes = List.copyOf(notes);
    }

    /**
     * @param at where
     * @param message the note
     */
    public record Note(Location at, String message) {
    }

    /** @return the finding and its notes, one line each, each ending in a newline */
    public String format() {
        StringBuilder b = new StringBuilder();
        b.append(at).append(": ").append(severity.label()).append(": ").append(message).append(" [")
                .append(rule.id).append("]\n");
        for (Note n : notes) {
            b.append(n.at()).append(": note: ").append(n.message()).append('\n');
        }
        return b.toString();
    }

    /** @return the same finding as an error ({@code --Werror}) */
    Diagnostic asError() {
        return new Diagnostic(rule, Severity.ERROR, at, message, notes);
    }
}
