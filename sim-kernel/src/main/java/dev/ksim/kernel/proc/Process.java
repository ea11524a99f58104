package dev.ksim.kernel.proc;

import dev.ksim.kernel.cpu.Task;
import dev.ksim.kernel.mm.UserImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A simulated user process, driven from Java: each method is a system call that enters the kernel on a
 * CPU through the architecture's syscall entry and runs the kernel's real call chain (so
 * {@code fork()} passes {@code kernel_clone}, {@code unlink()} passes {@code do_unlinkat}, …). Results
 * are what the system call returns: a value, or a negative errno.
 *
 * <p>One thread at a time drives a process (as one user thread would); several processes may run at
 * once on different CPUs.
 */
public final class Process {
    /** {@code AT_FDCWD}. */
    public static final int AT_FDCWD = -100;
    /** {@code AT_REMOVEDIR}. */
    public static final int AT_REMOVEDIR = 0x200;
    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code O_WRONLY}. */
    public static final int O_WRONLY = 1;
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_CREAT}. */
    public static final int O_CREAT = 0100;
    /** {@code O_EXCL}. */
    public static final int O_EXCL = 0200;
    /** {@code O_TRUNC}. */
    public static final int O_TRUNC = 01000;
    /** {@code O_APPEND}. */
    public static final int O_APPEND = 02000;
    /** {@code O_DIRECTORY}. */
    public static final int O_DIRECTORY = 0200000;

    private final Syscalls sys;
    /** The main thread. */
    public final Task task;
    /** The parent's pid. */
    public final int ppid;
    /** The CPU this process runs its system calls on; changed by {@link #sched_setaffinity}. */
    volatile int cpu;
    /** The user address space; replaced by execve. Guarded by this. */
    UserImage image;
    /** Open files by descriptor. Guarded by this. */
    final Map<Integer, OpenFile> fds = new TreeMap<>();
    /** The working directory. */
    volatile String cwd = "/";
    /** Whether the child has been scheduled for the first time (ret_from_fork ran). */
    volatile boolean started;
    /** Exited processes keep their exit code until reaped. */
    volatile boolean exited;
    volatile int exitCode;
    /** Children not yet reaped. Guarded by this. */
    final List<Process> children = new ArrayList<>();
    /** Where the next string or buffer argument is put in user memory; guarded by this. */
    long scratch;

    Process(Syscalls sys, Task task, int ppid, int cpu, UserImage image) {
        this.sys = sys;
        this.task = task;
        this.ppid = ppid;
        this.cpu = cpu;
        this.image = image;
    }

    /** @return the user address space of the image it runs now (replaced by execve) */
    public dev.ksim.kernel.mm.UserMemory userMemory() {
        return image.memory();
    }

    /** @return the process id */
    public int pid() {
        return task.tgid;
    }

    /** @return the CPU it runs on */
    public int cpu() {
        return cpu;
    }

    /**
     * {@code sched_setaffinity} to one CPU: the process's next system calls run there.
     *
     * @param cpu a CPU number
     * @return 0, or -EINVAL for a CPU that does not exist
     */
    public long sched_setaffinity(int cpu) {
        return sys.setAffinity(this, cpu);
    }

    /** @return the executable's name */
    public String comm() {
        return task.comm();
    }

    /** @return whether it has exited */
    public boolean hasExited() {
        return exited;
    }

    /** @return its exit code, once exited */
    public int exitCode() {
        return exitCode;
    }

    /**
     * {@code fork()}: a child that continues as a copy of this process.
     *
     * @return the child's pid, or a negative errno
     */
    public long fork() {
        return sys.fork(this);
    }

    /**
     * {@code clone(flags, …)}.
     *
     * @param flags clone flags and the exit signal in the low byte (e.g. {@code SIGCHLD} = 17)
     * @return the child's pid, or a negative errno
     */
    public long clone(long flags) {
        return sys.clone(this, flags);
    }

    /**
     * {@code execve(path, argv, envp)}.
     *
     * @param path the program
     * @param argv its arguments, argv[0] first
     * @param envp its environment
     * @return a negative errno on failure; 0 once the new program runs
     */
    public long execve(String path, List<String> argv, List<String> envp) {
        return sys.execve(this, path, argv, envp);
    }

    /**
     * {@code exit_group(code)}: the process ends; its parent reaps it with {@link #wait4}.
     *
     * @param code the exit status
     */
    public void exit(int code) {
        sys.exitGroup(this, code);
    }

    /**
     * {@code wait4(pid, …)}: reaps an exited child.
     *
     * @param pid the child's pid, or -1 for any
     * @return the reaped pid, or a negative errno (-ECHILD)
     */
    public long wait4(int pid) {
        return sys.wait4(this, pid);
    }

    /**
     * {@code openat(dfd, path, flags, mode)}.
     *
     * @param dfd a directory descriptor or {@link #AT_FDCWD}
     * @param path the path
     * @param flags {@code O_*} flags
     * @param mode permissions for a created file
     * @return the descriptor, or a negative errno
     */
    public long openat(int dfd, String path, int flags, int mode) {
        return sys.openat(this, dfd, path, flags, mode);
    }

    /**
     * {@code open(path, flags, mode)}: openat relative to the working directory.
     *
     * @param path the path
     * @param flags flags
     * @param mode permissions
     * @return the descriptor, or a negative errno
     */
    public long open(String path, int flags, int mode) {
        return openat(AT_FDCWD, path, flags, mode);
    }

    /**
     * {@code read(fd, buf, count)}.
     *
     * @param fd a descriptor
     * @param count bytes wanted
     * @return the bytes read (empty at end of file), or null with {@link #lastError()} set
     */
    public byte[] read(int fd, int count) {
        return sys.read(this, fd, count);
    }

    /**
     * {@code write(fd, buf, count)}.
     *
     * @param fd a descriptor
     * @param data the bytes
     * @return bytes written, or a negative errno
     */
    public long write(int fd, byte[] data) {
        return sys.write(this, fd, data);
    }

    /** @param fd a descriptor @param text UTF-8 text @return bytes written, or -errno */
    public long write(int fd, String text) {
        return write(fd, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code close(fd)}. @param fd the descriptor @return 0 or -errno */
    public long close(int fd) {
        return sys.close(this, fd);
    }

    /** {@code unlinkat(AT_FDCWD, path, 0)}. @param path the file @return 0 or -errno */
    public long unlink(String path) {
        return sys.unlinkat(this, AT_FDCWD, path, 0);
    }

    /** {@code unlinkat(AT_FDCWD, path, AT_REMOVEDIR)}. @param path the directory @return 0 or -errno */
    public long rmdir(String path) {
        return sys.unlinkat(this, AT_FDCWD, path, AT_REMOVEDIR);
    }

    /** {@code mkdirat(AT_FDCWD, path, mode)}. @param path the directory @param mode permissions @return 0 or -errno */
    public long mkdir(String path, int mode) {
        return sys.mkdirat(this, AT_FDCWD, path, mode);
    }

    /** {@code renameat2(AT_FDCWD, from, AT_FDCWD, to, 0)}. @param from old path @param to new path @return 0 or -errno */
    public long rename(String from, String to) {
        return sys.renameat2(this, from, to);
    }

    /** {@code sched_yield()}. @return 0 */
    public long sched_yield() {
        return sys.simple(this, Syscall.SCHED_YIELD);
    }

    /** {@code nanosleep()}. @param nanos how long @return 0 */
    public long nanosleep(long nanos) {
        return sys.nanosleep(this, nanos);
    }

    /**
     * Opens, reads to the end and closes a file, as {@code cat} does.
     *
     * @param path the file
     * @return its contents, or null if it could not be opened or read
     */
    public String cat(String path) {
        long fd = open(path, O_RDONLY, 0);
        if (fd < 0) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        while (true) {
            byte[] b = read((int) fd, 4096);
            if (b == null) {
                close((int) fd);
                return null;
            }
            if (b.length == 0) {
                break;
            }
            out.append(new String(b, StandardCharsets.UTF_8));
        }
        close((int) fd);
        return out.toString();
    }

    /** @return the errno of the last failed read, as a negative number */
    public long lastError() {
        return sys.lastError(this);
    }

    @Override
    public String toString() {
        return task.comm() + "[" + task.pid + "]";
    }
}
