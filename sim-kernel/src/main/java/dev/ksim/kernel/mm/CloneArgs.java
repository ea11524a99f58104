package dev.ksim.kernel.mm;

/**
 * The values of a {@code struct kernel_clone_args}, as the {@code fork}/{@code vfork}/{@code clone}
 * system calls fill it before calling {@code kernel_clone()}.
 *
 * @param flags {@code CLONE_*} flags without the exit signal
 * @param pidfd user address for the pidfd ({@code CLONE_PIDFD}), or 0
 * @param childTid user address for the child's tid, or 0
 * @param parentTid user address for the parent's copy of the tid, or 0
 * @param exitSignal the signal sent to the parent on exit ({@code SIGCHLD} for fork)
 * @param stack the new stack pointer, or 0 to share the parent's
 * @param stackSize the stack size (clone3 only), or 0
 * @param tls the new TLS pointer ({@code CLONE_SETTLS}), or 0
 */
public record CloneArgs(long flags, long pidfd, long childTid, long parentTid, int exitSignal, long stack,
                        long stackSize, long tls) {
    /** {@code SIGCHLD}. */
    public static final int SIGCHLD = 17;
    /** {@code CSIGNAL}: the exit-signal bits of clone flags. */
    public static final long CSIGNAL = 0xff;
    /** {@code CLONE_VM}. */
    public static final long CLONE_VM = 0x100;
    /** {@code CLONE_FS}. */
    public static final long CLONE_FS = 0x200;
    /** {@code CLONE_FILES}. */
    public static final long CLONE_FILES = 0x400;
    /** {@code CLONE_SIGHAND}. */
    public static final long CLONE_SIGHAND = 0x800;
    /** {@code CLONE_PIDFD}. */
    public static final long CLONE_PIDFD = 0x1000;
    /** {@code CLONE_VFORK}. */
    public static final long CLONE_VFORK = 0x4000;
    /** {@code CLONE_THREAD}. */
    public static final long CLONE_THREAD = 0x10000;
    /** {@code CLONE_SETTLS}. */
    public static final long CLONE_SETTLS = 0x80000;

    /** @return the arguments {@code fork()} passes */
    public static CloneArgs fork() {
        return new CloneArgs(0, 0, 0, 0, SIGCHLD, 0, 0, 0);
    }

    /** @return the arguments {@code vfork()} passes */
    public static CloneArgs vfork() {
        return new CloneArgs(CLONE_VFORK | CLONE_VM, 0, 0, 0, SIGCHLD, 0, 0, 0);
    }

    /**
     * The arguments {@code clone(2)} passes, with x86_64's argument order.
     *
     * @param cloneFlags the flags, with the exit signal in the low byte
     * @param newsp the new stack pointer
     * @param parentTid the parent tid pointer (also the pidfd pointer with {@code CLONE_PIDFD})
     * @param childTid the child tid pointer
     * @param tls the TLS value
     * @return the arguments
     */
    public static CloneArgs clone(long cloneFlags, long newsp, long parentTid, long childTid, long tls) {
        long low = cloneFlags & 0xffff_ffffL;
        return new CloneArgs(low & ~CSIGNAL, (low & CLONE_PIDFD) != 0 ? parentTid : 0, childTid, parentTid,
                (int) (low & CSIGNAL), newsp, 0, tls);
    }
}
