package dev.ksim.kernel.cpu;

/**
 * Unwinds a task's kernel execution after an oops killed it ({@code make_task_dead}); caught where the
 * task entered the kernel. Carries no stack trace: the oops report already printed the simulated one.
 */
public final class TaskKilled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param reason what killed the task */
    public TaskKilled(String reason) {
        super(reason, null, false, false);
    }
}
