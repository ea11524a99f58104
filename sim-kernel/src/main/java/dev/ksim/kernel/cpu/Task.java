package dev.ksim.kernel.cpu;

import dev.ksim.kernel.Arch;
import dev.ksim.sdk.PtRegs;

/**
 * A simulated task: a process or kernel thread, with its own kernel stack and register file.
 * Only the thread running the task on a CPU touches its stack and registers.
 */
public final class Task {
    /** Lifecycle of a task. */
    public enum State {
        /** Runnable or running. */
        RUNNING,
        /** Exited, not yet reaped. */
        ZOMBIE,
        /** Killed by an oops while in the kernel. */
        DEAD
    }

    /** Thread id. */
    public final int pid;
    /** Process id (the thread group leader's pid). */
    public final int tgid;
    /** Parent process id. */
    public final int ppid;
    /** Whether this is a kernel thread (no user address space). */
    public final boolean kthread;
    /** Executable name, at most 15 characters; changes at exec. */
    private volatile String comm;
    /** Address of the task's {@code task_struct} in kernel memory, 0 if it has none. */
    private volatile long taskStruct;
    /** The registers while the task runs in the kernel. */
    final PtRegs regs;
    /** The task's kernel stack. */
    final KernelStack stack;
    /** Set when the task dies; written by the task's own thread or by an oops on it. */
    private volatile State state = State.RUNNING;
    private volatile int exitCode;
    /** Real user id (cred->uid). */
    public volatile int uid;
    /**
     * {@code current->kretprobe_instances}: the head of this task's list of kretprobe instances, newest
     * first; only its first {@link #kretprobeDepth} nodes are on the list (an emptied list keeps its old
     * head, so that the next call through the same kretprobe stores no new reference into this long-lived
     * object, which would cost a garbage-collector card-marking fence). Private to kprobes; both fields are
     * touched only by the thread running the task, or after the task died.
     */
    public Object kretprobeInstances;
    /** How many instances are on {@link #kretprobeInstances}' list. */
    public int kretprobeDepth;
    private volatile dev.ksim.sdk.linux.TaskStruct view;

    /** @return a view of this task's task_struct (one per task, for handlers) */
    public dev.ksim.sdk.linux.TaskStruct view() {
        dev.ksim.sdk.linux.TaskStruct v = view;
        if (v == null || v.addr != taskStruct) {
            v = new dev.ksim.sdk.linux.TaskStruct(taskStruct);
            view = v;
        }
        return v;
    }

    /**
     * @param arch the architecture (for the register file)
     * @param pid thread id
     * @param tgid process id
     * @param ppid parent's pid
     * @param comm executable name
     * @param kthread whether this is a kernel thread
     * @param stackBase lowest address of its kernel stack
     */
    public Task(Arch arch, int pid, int tgid, int ppid, String comm, boolean kthread, long stackBase) {
        this.pid = pid;
        this.tgid = tgid;
        this.ppid = ppid;
        this.kthread = kthread;
        this.comm = truncate(comm);
        this.regs = arch.newRegs();
        this.stack = new KernelStack(stackBase);
        this.regs.setStackPointer(stack.top());
    }

    private static String truncate(String comm) {
        return comm.length() > 15 ? comm.substring(0, 15) : comm;
    }

    /** @return the executable name */
    public String comm() {
        return comm;
    }

    /** @param comm the new executable name (truncated to 15 characters, as {@code TASK_COMM_LEN} does) */
    public void setComm(String comm) {
        this.comm = truncate(comm);
    }

    /** @return the kernel stack */
    public KernelStack stack() {
        return stack;
    }

    /** @return the register file */
    public PtRegs regs() {
        return regs;
    }

    /** @return the task_struct address, or 0 */
    public long taskStruct() {
        return taskStruct;
    }

    /** @param addr the task_struct address */
    public void setTaskStruct(long addr) {
        this.taskStruct = addr;
    }

    /** @return the lifecycle state */
    public State state() {
        return state;
    }

    /** @param s the new state @param code the exit code */
    public void setState(State s, int code) {
        this.exitCode = code;
        this.state = s;
    }

    /** @return the exit code once the task is not running */
    public int exitCode() {
        return exitCode;
    }

    @Override
    public String toString() {
        return comm + "/" + pid;
    }
}
