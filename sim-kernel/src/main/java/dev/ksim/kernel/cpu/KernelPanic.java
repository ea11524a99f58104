package dev.ksim.kernel.cpu;

/**
 * The kernel panicked ({@code panic()}): the report is in the log and the kernel is stopped — every later
 * attempt to run on it throws this again. Carries no stack trace: the panic report printed the
 * simulated one.
 */
public final class KernelPanic extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the panic message, as after {@code Kernel panic - not syncing: } */
    public KernelPanic(String message) {
        super("Kernel panic - not syncing: " + message, null, false, false);
    }
}
