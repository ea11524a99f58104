package dev.ksim.sdk.linux;

/** {@code struct task_struct}: a task (thread or process). */
public final class TaskStruct extends KernelStruct {
    /** {@code TASK_COMM_LEN}: the size of {@link #comm()}'s array. */
    public static final int TASK_COMM_LEN = 16;

    /** @param addr the task's address */
    public TaskStruct(long addr) {
        super(addr);
    }

    @Override
    protected String structName() {
        return "task_struct";
    }

    /** @return {@code pid}: the thread id */
    public int pid() {
        return (int) field("pid", 4);
    }

    /** @return {@code tgid}: the process id */
    public int tgid() {
        return (int) field("tgid", 4);
    }

    /** @return {@code comm}: the executable's name, at most 15 characters */
    public String comm() {
        return charArray("comm", TASK_COMM_LEN);
    }

    /** @return {@code mm}: the address space's address, 0 for a kernel thread */
    public long mm() {
        return field("mm", 8);
    }

    /** @return {@code real_parent} */
    public TaskStruct real_parent() {
        return new TaskStruct(field("real_parent", 8));
    }
}
