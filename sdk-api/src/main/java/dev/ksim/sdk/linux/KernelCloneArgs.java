package dev.ksim.sdk.linux;

/**
 * {@code struct kernel_clone_args}: the argument of {@code kernel_clone()} (5.10+; {@code _do_fork}
 * took the values as separate arguments before).
 *
 * <pre>{@code
 * // kprobe on kernel_clone
 * KernelCloneArgs args = new KernelCloneArgs(regs.kernelArgument(0));
 * pr_info("clone flags=0x%x exit_signal=%d\n", args.flags(), args.exit_signal());
 * }</pre>
 */
public final class KernelCloneArgs extends KernelStruct {
    /** @param addr the structure's address */
    public KernelCloneArgs(long addr) {
        super(addr);
    }

    @Override
    protected String structName() {
        return "kernel_clone_args";
    }

    /** @return {@code flags}: {@code CLONE_*} bits, without the exit signal */
    public long flags() {
        return i64("flags");
    }

    /** @return {@code pidfd}: user address for the pidfd, or 0 */
    public long pidfd() {
        return ptr("pidfd");
    }

    /** @return {@code child_tid}: user address, or 0 */
    public long child_tid() {
        return ptr("child_tid");
    }

    /** @return {@code parent_tid}: user address, or 0 */
    public long parent_tid() {
        return ptr("parent_tid");
    }

    /** @return {@code exit_signal}: {@code SIGCHLD} (17) for fork */
    public int exit_signal() {
        return i32("exit_signal");
    }

    /** @return {@code stack}: the child's stack pointer, or 0 */
    public long stack() {
        return i64("stack");
    }

    /** @return {@code stack_size} */
    public long stack_size() {
        return i64("stack_size");
    }

    /** @return {@code tls} */
    public long tls() {
        return i64("tls");
    }

    /** @return {@code set_tid}: kernel array of tids requested by clone3, or 0 */
    public long set_tid() {
        return ptr("set_tid");
    }

    /** @return {@code set_tid_size} */
    public long set_tid_size() {
        return i64("set_tid_size");
    }

    /** @return {@code cgroup}: the target cgroup fd for {@code CLONE_INTO_CGROUP} */
    public int cgroup() {
        return i32("cgroup");
    }
}
