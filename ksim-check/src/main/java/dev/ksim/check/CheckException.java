package dev.ksim.check;

/** A check that could not run: a path that does not exist, a file that does not parse (exit status 2). */
public final class CheckException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, starting with the file */
    public CheckException(String message) {
        super(message);
    }
}
