package dev.ksim.kernel.cpu;

/**
 * Ends a task's kernel execution when it exits ({@code do_exit} never returns); caught where the task
 * entered the kernel.
 */
public final class TaskExit extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The exit code. */
    public final int code;

    /** @param code the exit code */
    public TaskExit(int code) {
        super(null, null, false, false);
        this.code = code;
    }
}
