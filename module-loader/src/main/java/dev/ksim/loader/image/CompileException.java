package dev.ksim.loader.image;

/**
 * A {@code .java} module did not compile. The message holds the compiler's diagnostics formatted as
 * javac prints them ({@code File.java:12: error: …}, the source line, a caret, the details, and the
 * error count).
 */
public final class CompileException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param diagnostics the formatted diagnostics */
    public CompileException(String diagnostics) {
        super(diagnostics, null, false, false);
    }
}
