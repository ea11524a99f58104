package dev.ksim.kernel.mm;

import java.util.Objects;

/**
 * What {@link KernelObjects#createTask} needs to know about a new task. Defaults: {@code tgid = pid}
 * (a process, not a thread), its own parent and group leader (like {@code init}), a new root cred,
 * no {@code mm} (0), flags 0, start time 0. Not thread-safe; build it on one thread.
 */
public final class TaskSpec {
    /** {@code PF_KTHREAD}. */
    public static final int PF_KTHREAD = 0x0020_0000;
    /** {@code PF_FORKNOEXEC}: forked but did not exec. */
    public static final int PF_FORKNOEXEC = 0x0000_0040;

    final int pid;
    final String comm;
    int tgid;
    long parent;
    long groupLeader;
    long cred;
    long mm;
    int flags;
    long startTime;

    /**
     * @param pid the thread id ({@code task->pid})
     * @param comm the name ({@code task->comm}); longer than 15 bytes is truncated, as {@code set_task_comm} does
     */
    public TaskSpec(int pid, String comm) {
        this.pid = pid;
        this.tgid = pid;
        this.comm = Objects.requireNonNull(comm, "comm");
    }

    /**
     * @param tgid the process id (the group leader's pid)
     * @return this
     */
    public TaskSpec tgid(int tgid) {
        this.tgid = tgid;
        return this;
    }

    /**
     * @param task the parent's {@code task_struct} address, 0 for the task itself
     * @return this
     */
    public TaskSpec parent(long task) {
        this.parent = task;
        return this;
    }

    /**
     * @param task the thread group leader's address, 0 for the task itself
     * @return this
     */
    public TaskSpec groupLeader(long task) {
        this.groupLeader = task;
        return this;
    }

    /**
     * @param cred a {@code struct cred} to share (its usage is incremented), 0 for a new root cred
     * @return this
     */
    public TaskSpec cred(long cred) {
        this.cred = cred;
        return this;
    }

    /**
     * @param mm the {@code mm_struct} address, 0 for a kernel thread
     * @return this
     */
    public TaskSpec mm(long mm) {
        this.mm = mm;
        return this;
    }

    /**
     * @param flags {@code PF_*} flags
     * @return this
     */
    public TaskSpec flags(int flags) {
        this.flags = flags;
        return this;
    }

    /**
     * @param ns {@code start_time}/{@code start_boottime} in nanoseconds since boot
     * @return this
     */
    public TaskSpec startTime(long ns) {
        this.startTime = ns;
        return this;
    }

    /** @return this, marked as a kernel thread ({@code PF_KTHREAD}, no mm) */
    public TaskSpec kernelThread() {
        this.flags |= PF_KTHREAD;
        this.mm = 0;
        return this;
    }
}
