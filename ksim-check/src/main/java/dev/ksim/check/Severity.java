package dev.ksim.check;

import java.util.Locale;

/** How serious a finding is; printed as compilers print it ({@code error:}, {@code warning:}, {@code note:}). */
public enum Severity {
    /** The module will fail or crash the kernel: {@code insmod} refuses it (exit status 1 of {@code ksim check}). */
    ERROR,
    /** Probably a mistake; errors too with {@code --Werror}. */
    WARNING,
    /** Information: what the checker could not follow, or context for another finding. */
    NOTE;

    /** @return the word compilers print: {@code error}, {@code warning}, {@code note} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
