package dev.ksim.sdk.linux;

import dev.ksim.sdk.spi.KernelBinding;

/**
 * {@code struct task_struct}: a task (thread or process).
 *
 * <pre>{@code
 * TaskStruct t = TaskStruct.current();
 * pr_info("%s[%d] ppid=%d uid=%d\n", t.comm(), t.tgid(), t.real_parent().tgid(), t.cred().uid());
 * }</pre>
 */
public final class TaskStruct extends KernelStruct {
    /** {@code TASK_COMM_LEN}: the size of {@link #comm()}'s array. */
    public static final int TASK_COMM_LEN = 16;
    /** {@code PF_EXITING}: the task is exiting. */
    public static final int PF_EXITING = 0x0000_0004;
    /** {@code PF_FORKNOEXEC}: forked but did not exec. */
    public static final int PF_FORKNOEXEC = 0x0000_0040;
    /** {@code PF_KTHREAD}: a kernel thread. */
    public static final int PF_KTHREAD = 0x0020_0000;
    /** {@code TASK_RUNNING}, a value of {@link #__state()}. */
    public static final int TASK_RUNNING = 0;
    /** {@code TASK_INTERRUPTIBLE}. */
    public static final int TASK_INTERRUPTIBLE = 1;
    /** {@code TASK_UNINTERRUPTIBLE}. */
    public static final int TASK_UNINTERRUPTIBLE = 2;

    /** @param addr the task's address */
    public TaskStruct(long addr) {
        super(addr);
    }

    /** @return {@code current}: the task running on this CPU */
    public static TaskStruct current() {
        return new TaskStruct(KernelBinding.current().current_task());
    }

    @Override
    protected String structName() {
        return "task_struct";
    }

    /** @return {@code pid}: the thread id */
    public int pid() {
        return i32("pid");
    }

    /** @return {@code tgid}: the process id */
    public int tgid() {
        return i32("tgid");
    }

    /** @return {@code comm}: the executable's name, at most 15 characters */
    public String comm() {
        return charArray("comm", TASK_COMM_LEN);
    }

    /** @return {@code mm}: the address space's address, 0 for a kernel thread (see {@link #mm_struct()}) */
    public long mm() {
        return ptr("mm");
    }

    /** @return {@code mm} as a view, NULL for a kernel thread */
    public MmStruct mm_struct() {
        return new MmStruct(ptr("mm"));
    }

    /** @return {@code active_mm}: the address space in use (borrowed by a kernel thread) */
    public MmStruct active_mm() {
        return new MmStruct(ptr("active_mm"));
    }

    /** @return {@code cred}: the effective (subjective) credentials */
    public Cred cred() {
        return new Cred(ptr("cred"));
    }

    /** @return {@code real_cred}: the objective credentials others see */
    public Cred real_cred() {
        return new Cred(ptr("real_cred"));
    }

    /** @return {@code real_parent}: the process that created this one */
    public TaskStruct real_parent() {
        return new TaskStruct(ptr("real_parent"));
    }

    /** @return {@code parent}: the recipient of SIGCHLD (the tracer while ptraced) */
    public TaskStruct parent() {
        return new TaskStruct(ptr("parent"));
    }

    /** @return {@code group_leader}: the thread group's leader (this task for a process) */
    public TaskStruct group_leader() {
        return new TaskStruct(ptr("group_leader"));
    }

    /** @return {@code flags}: {@code PF_*} bits */
    public int flags() {
        return i32("flags");
    }

    /** @return {@code __state}: {@link #TASK_RUNNING}, {@link #TASK_INTERRUPTIBLE}, … (5.14+; {@code state} before) */
    public int __state() {
        return i32("__state");
    }

    /** @return {@code stack}: the kernel stack's address */
    public long stack() {
        return ptr("stack");
    }

    /** @return {@code prio}: the dynamic priority (120 is nice 0) */
    public int prio() {
        return i32("prio");
    }

    /** @return {@code exit_state}: {@code EXIT_ZOMBIE}, {@code EXIT_DEAD} or 0 */
    public int exit_state() {
        return i32("exit_state");
    }

    /** @return {@code exit_code} */
    public int exit_code() {
        return i32("exit_code");
    }

    /** @return {@code exit_signal}: the signal sent to the parent on exit (-1 for a thread) */
    public int exit_signal() {
        return i32("exit_signal");
    }

    /** @return {@code start_time}: monotonic start time in nanoseconds */
    public long start_time() {
        return i64("start_time");
    }

    /** @return {@code start_boottime}: start time since boot, including suspend, in nanoseconds */
    public long start_boottime() {
        return i64("start_boottime");
    }

    /** @return {@code utime}: user CPU time in nanoseconds */
    public long utime() {
        return i64("utime");
    }

    /** @return {@code stime}: system CPU time in nanoseconds */
    public long stime() {
        return i64("stime");
    }

    /** @return {@code loginuid}: the audit login uid, -1 if unset */
    public int loginuid() {
        return i32("loginuid");
    }

    /** @return {@code sessionid}: the audit session id, -1 if unset */
    public int sessionid() {
        return i32("sessionid");
    }

    /** @return {@code files}: the open-file table's address ({@code struct files_struct *}) */
    public long files() {
        return ptr("files");
    }

    /** @return {@code fs}: the root/cwd's address ({@code struct fs_struct *}) */
    public long fs() {
        return ptr("fs");
    }

    /** @return {@code nsproxy}: the namespaces' address ({@code struct nsproxy *}) */
    public long nsproxy() {
        return ptr("nsproxy");
    }

    /** @return {@code thread_pid}: the {@code struct pid *} of this thread */
    public long thread_pid() {
        return ptr("thread_pid");
    }
}
