package dev.ksim.kernel.proc;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.KernelStack;
import dev.ksim.kernel.cpu.Task;
import dev.ksim.kernel.cpu.TaskExit;
import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.kernel.mm.KernelObjects;
import dev.ksim.kernel.mm.Prot;
import dev.ksim.kernel.mm.TaskSpec;
import dev.ksim.kernel.mm.UserImage;
import dev.ksim.kernel.mm.UserMemory;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.sdk.Errno;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The user/kernel boundary: puts a process's syscall arguments into its user memory and saved
 * registers, enters the kernel through the architecture's syscall entry on the process's CPU, and keeps
 * the table of processes.
 */
public final class Syscalls {
    /** Base of each process's scratch area for syscall arguments (strings, buffers). */
    static final long SCRATCH_BASE = 0x0000_5500_0000_0000L;
    static final int SCRATCH_SIZE = 1 << 20;

    private final SimKernel kernel;
    private final KernelObjects objs;
    private final Map<Task, Process> byTask = new ConcurrentHashMap<>();
    private final Map<Integer, Process> byPid = new ConcurrentHashMap<>();
    private final AtomicInteger nextCpu = new AtomicInteger();
    private final Map<Process, Long> lastError = new ConcurrentHashMap<>();
    private final KFunction entry;
    private final KFunction retFromFork;

    /**
     * @param kernel the kernel
     * @param objs its kernel-object factory
     */
    public Syscalls(SimKernel kernel, KernelObjects objs) {
        this.kernel = kernel;
        this.objs = objs;
        boolean x86 = kernel.arch() == Arch.X86_64;
        this.entry = kernel.function(x86 ? "entry_SYSCALL_64" : "el0t_64_sync");
        this.retFromFork = kernel.function(x86 ? "ret_from_fork_asm" : "ret_from_fork");
    }

    // ---------------------------------------------------------------- process table

    /**
     * Creates a process's kernel side: task_struct, cred, mm with argv/env on the user stack, and the
     * Java process object; used for init and by copy_process.
     *
     * @param task its task
     * @param parent its parent, or null for init
     * @param argv program arguments
     * @param exe the executable's path
     * @return the process
     */
    public Process create(Task task, Process parent, List<String> argv, String exe) {
        UserImage image = objs.createMm(argv, List.of("PATH=/usr/bin:/bin", "HOME=/root"), exe);
        mapScratch(image.memory());
        long cred = objs.createCred(dev.ksim.kernel.mm.CredSpec.root());
        TaskSpec spec = new TaskSpec(task.pid, task.comm()).tgid(task.tgid).cred(cred).mm(image.mm())
                .parent(parent == null ? 0 : parent.task.taskStruct());
        long ts = objs.createTask(spec);
        task.setTaskStruct(ts);
        kernel.mapKernelStack(task);
        Process p = new Process(this, task, parent == null ? 0 : parent.pid(), cpuFor(parent), image);
        p.started = true;
        register(p, parent);
        return p;
    }

    private int cpuFor(Process parent) {
        return Math.floorMod(nextCpu.getAndIncrement(), kernel.cpus().size());
    }

    void register(Process p, Process parent) {
        byTask.put(p.task, p);
        byPid.put(p.pid(), p);
        if (parent != null) {
            synchronized (parent) {
                parent.children.add(p);
            }
        }
    }

    void unregister(Process p) {
        byTask.remove(p.task);
        byPid.remove(p.pid());
    }

    /** @param task a task @return its process, or null */
    public Process of(Task task) {
        return byTask.get(task);
    }

    /** @param pid a pid @return that process, or null */
    public Process byPid(int pid) {
        return byPid.get(pid);
    }

    /** @return every process not yet reaped */
    public Collection<Process> all() {
        return List.copyOf(byPid.values());
    }

    /**
     * A new child process, as a task of init forking it (kernel_clone runs); the caller drives it.
     *
     * @param parent the parent
     * @param cpu which CPU the child runs on
     * @return the child
     */
    Process newChild(Process parent, Task childTask, UserImage image, int cpu) {
        mapScratch(image.memory());
        Process p = new Process(this, childTask, parent.pid(), cpu, image);
        register(p, parent);
        return p;
    }

    int pickCpu() {
        return Math.floorMod(nextCpu.getAndIncrement(), kernel.cpus().size());
    }

    static void mapScratch(UserMemory um) {
        if (um.regionAt(SCRATCH_BASE) == null) {
            um.map("[scratch]", SCRATCH_BASE, SCRATCH_SIZE, Prot.RW);
        }
    }

    // ---------------------------------------------------------------- user-side marshalling

    private long putString(Process p, String s) {
        byte[] b = (s + "\0").getBytes(StandardCharsets.UTF_8);
        return putBytes(p, b);
    }

    private long putBytes(Process p, byte[] b) {
        long at = SCRATCH_BASE + p.scratch;
        if (p.scratch + b.length + 16 > SCRATCH_SIZE) {
            throw new IllegalArgumentException("syscall arguments too large for the scratch area");
        }
        p.image.memory().writeBytes(at, b);
        p.scratch += (b.length + 15) & ~15;
        return at;
    }

    private long putPointerArray(Process p, List<String> strings) {
        long[] ptrs = new long[strings.size() + 1];
        for (int i = 0; i < strings.size(); i++) {
            ptrs[i] = putString(p, strings.get(i));
        }
        byte[] arr = new byte[ptrs.length * 8];
        for (int i = 0; i < ptrs.length; i++) {
            for (int j = 0; j < 8; j++) {
                arr[i * 8 + j] = (byte) (ptrs[i] >>> (8 * j));
            }
        }
        return putBytes(p, arr);
    }

    /**
     * Enters the kernel for one system call.
     *
     * @return the syscall's return value
     * @throws TaskKilled if an oops killed the process
     */
    long enter(Process p, Syscall s, long... args) {
        int nr = s.nr(kernel.arch());
        if (p.exited) {
            return -Errno.ESRCH;
        }
        return kernel.onCpu(p.cpu, p.task, () -> {
            Cpu c = Cpu.current();
            try {
                if (!p.started) {
                    p.started = true;
                    c.call(retFromFork);
                }
                if (nr < 0) {
                    return (long) -Errno.ENOSYS;
                }
                long regs = userRegs(p.task);
                UserRegs.store(objs.memory(), kernel.arch(), regs, nr, args, p.image.sp());
                return c.call(entry);
            } catch (TaskExit e) {
                p.exitCode = e.code;
                p.exited = true;
                return 0L;
            } catch (TaskKilled e) {
                p.exitCode = 128 + 9;
                p.exited = true;
                kernel.kprobes().flushTask(p.task);
                throw e;
            } finally {
                synchronized (p) {
                    p.scratch = 0;
                }
            }
        });
    }

    /** @param task a task @return where its user pt_regs are saved: the top of its kernel stack */
    public long userRegs(Task task) {
        return task.stack().base + KernelStack.THREAD_SIZE - UserRegs.size(kernel.arch());
    }

    long fork(Process p) {
        if (kernel.arch() == Arch.ARM64) {
            return clone(p, 17);
        }
        return enter(p, Syscall.FORK);
    }

    long clone(Process p, long flags) {
        return enter(p, Syscall.CLONE, flags, 0, 0, 0, 0);
    }

    long execve(Process p, String path, List<String> argv, List<String> envp) {
        synchronized (p) {
            long a = putString(p, path);
            long v = putPointerArray(p, argv);
            long e = putPointerArray(p, envp);
            return enter(p, Syscall.EXECVE, a, v, e);
        }
    }

    void exitGroup(Process p, int code) {
        enter(p, Syscall.EXIT_GROUP, code);
    }

    long wait4(Process p, int pid) {
        return enter(p, Syscall.WAIT4, pid, 0, 0, 0);
    }

    long openat(Process p, int dfd, String path, int flags, int mode) {
        synchronized (p) {
            return enter(p, Syscall.OPENAT, dfd, putString(p, path), flags, mode);
        }
    }

    byte[] read(Process p, int fd, int count) {
        while (true) {
            synchronized (p) {
                long buf = putBytes(p, new byte[Math.max(count, 1)]);
                long r = enter(p, Syscall.READ, fd, buf, count);
                if (r >= 0) {
                    return p.image.memory().readBytes(buf, (int) r);
                }
                if (r != -Errno.EAGAIN || pipeOf(p, fd) == null) {
                    lastError.put(p, r);
                    return null;
                }
            }
            // wait_event_interruptible(): the reader sleeps off its CPU until there is data, then reads again.
            try {
                pipeOf(p, fd).awaitData();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lastError.put(p, (long) -Errno.EINTR);
                return null;
            }
        }
    }

    /** @return the consuming reader behind a descriptor, or null */
    private static dev.ksim.kernel.fs.PseudoFile.Pipe pipeOf(Process p, int fd) {
        synchronized (p) {
            OpenFile of = p.fds.get(fd);
            return of == null || of.inode.pseudo == null ? null : of.inode.pseudo.pipe();
        }
    }

    long lastError(Process p) {
        return lastError.getOrDefault(p, 0L);
    }

    long write(Process p, int fd, byte[] data) {
        synchronized (p) {
            return enter(p, Syscall.WRITE, fd, putBytes(p, data), data.length);
        }
    }

    long close(Process p, int fd) {
        return enter(p, Syscall.CLOSE, fd);
    }

    long unlinkat(Process p, int dfd, String path, int flags) {
        synchronized (p) {
            return enter(p, Syscall.UNLINKAT, dfd, putString(p, path), flags);
        }
    }

    long mkdirat(Process p, int dfd, String path, int mode) {
        synchronized (p) {
            return enter(p, Syscall.MKDIRAT, dfd, putString(p, path), mode);
        }
    }

    long renameat2(Process p, String from, String to) {
        synchronized (p) {
            return enter(p, Syscall.RENAMEAT2, Process.AT_FDCWD, putString(p, from), Process.AT_FDCWD,
                    putString(p, to), 0);
        }
    }

    long nanosleep(Process p, long nanos) {
        synchronized (p) {
            byte[] ts = new byte[16];
            long sec = nanos / 1_000_000_000L;
            long ns = nanos % 1_000_000_000L;
            for (int j = 0; j < 8; j++) {
                ts[j] = (byte) (sec >>> (8 * j));
                ts[8 + j] = (byte) (ns >>> (8 * j));
            }
            return enter(p, Syscall.NANOSLEEP, putBytes(p, ts), 0);
        }
    }

    long setAffinity(Process p, int cpu) {
        if (cpu < 0 || cpu >= kernel.cpus().size()) {
            return -Errno.EINVAL;
        }
        p.cpu = cpu;
        return 0;
    }

    long simple(Process p, Syscall s) {
        return enter(p, s);
    }
}
