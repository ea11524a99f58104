package dev.ksim.kernel.proc;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.Task;
import dev.ksim.kernel.cpu.TaskExit;
import dev.ksim.kernel.diag.Jiffies;
import dev.ksim.kernel.fs.Vfs;
import dev.ksim.kernel.mm.BlockQueue;
import dev.ksim.kernel.mm.CloneArgs;
import dev.ksim.kernel.mm.CredSpec;
import dev.ksim.kernel.mm.KernelMemory;
import dev.ksim.kernel.mm.KernelObjects;
import dev.ksim.kernel.mm.TaskSpec;
import dev.ksim.kernel.mm.UserImage;
import dev.ksim.kernel.mm.UserMemory;
import dev.ksim.kernel.text.Body;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.sdk.Errno;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What the image's functions do: the system calls' real call chains ({@code __x64_sys_clone →
 * kernel_clone → copy_process → dup_task_struct …}) building real structures in kernel memory, so a
 * probe anywhere on the way sees the arguments and return values the kernel's would. Functions without
 * a body of their own call their callees in order, passing their arguments on.
 */
public final class KernelBodies {
    private static final int PATH_MAX = 4096;

    private final SimKernel k;
    private final KernelObjects objs;
    private final KernelMemory mem;
    private final Syscalls sys;
    private final Arch arch;
    private final Vfs vfs;
    /** Allocator calls that build a particular object, per CPU; see {@link #allocVia}. */
    private final LongSupplier[] pendingAlloc;
    private final int[] pendingDepth;
    private final BlockQueue vda;

    /**
     * Binds every function's body.
     *
     * @param k the kernel
     * @param objs its kernel objects
     * @param sys its processes
     */
    public KernelBodies(SimKernel k, KernelObjects objs, Syscalls sys) {
        this.k = k;
        this.objs = objs;
        this.mem = objs.memory();
        this.sys = sys;
        this.arch = k.arch();
        this.vfs = k.vfs();
        this.pendingAlloc = new LongSupplier[k.cpus().size()];
        this.pendingDepth = new int[k.cpus().size()];
        this.vda = objs.createRequestQueue("vda", 253, 0, 32);
        vfs.mount("/sys/block/vda/queue/read_ahead_kb", new dev.ksim.kernel.fs.PseudoFile(0644,
                () -> (mem.read64(vda.bdi() + objs.layouts().offsetof("backing_dev_info", "ra_pages")) << 2) + "\n",
                v -> {
                    try {
                        long kb = Long.parseLong(v.strip());
                        mem.write64(vda.bdi() + objs.layouts().offsetof("backing_dev_info", "ra_pages"), kb >> 2);
                        return 0;
                    } catch (NumberFormatException e) {
                        return -Errno.EINVAL;
                    }
                }));
        for (KFunction f : k.text().coreFunctions()) {
            f.bind(passThrough(f));
        }
        bindEntry();
        bindProcess();
        bindFiles();
        bindSched();
        bindMemory();
        bindPrintk();
    }

    private static Body passThrough(KFunction f) {
        int n = f.callCount();
        if (n == 0) {
            return Body.RETURN_ZERO;
        }
        return cpu -> {
            long a0 = cpu.arg(0);
            long a1 = cpu.arg(1);
            long a2 = cpu.arg(2);
            long a3 = cpu.arg(3);
            long r = 0;
            for (int i = 0; i < n; i++) {
                KFunction callee = f.callTarget(i);
                if (i > 0 && callee == f.callTarget(i - 1)) {
                    continue;
                }
                r = cpu.call(callee, a0, a1, a2, a3);
            }
            return r;
        };
    }

    /** @param name the current kernel's name @return this profile's function of that role */
    private KFunction fn(String name) {
        return k.functionOf(name);
    }

    private void bind(String name, Body body) {
        fn(name).bind(body);
    }

    private String sysName(String s) {
        return dev.ksim.kernel.image.ImageCatalog.syscall(arch, s);
    }

    private static boolean isErr(long v) {
        return v < 0 && v >= -4095;
    }

    private Process current(Cpu cpu) {
        return sys.of(cpu.task());
    }

    private long off(String struct, String member) {
        return objs.layouts().offsetof(struct, member);
    }

    // ================================================================ entry

    private void bindEntry() {
        KFunction dispatch = fn(arch == Arch.X86_64 ? "do_syscall_64" : "invoke_syscall");
        Body syscall = cpu -> {
            long regs = cpu.arg(0);
            long nr = arch == Arch.X86_64 ? cpu.arg(1) : cpu.arg(1);
            Syscall s = Syscall.of(arch, nr);
            long r;
            if (s == null) {
                r = -Errno.ENOSYS;
            } else if (k.profile().syscallWrappers()) {
                r = cpu.call(fn(sysName(s.name)), regs);
            } else {
                r = cpu.callArgs(fn(sysName(s.name)), UserRegs.arg(mem, arch, regs, 0), UserRegs.arg(mem, arch, regs, 1),
                        UserRegs.arg(mem, arch, regs, 2), UserRegs.arg(mem, arch, regs, 3),
                        UserRegs.arg(mem, arch, regs, 4), UserRegs.arg(mem, arch, regs, 5));
            }
            dev.ksim.kernel.proc.UserRegs.setReturn(mem, arch, regs, r);
            return r;
        };
        dispatch.bind(syscall);
        if (arch == Arch.X86_64) {
            bind("entry_SYSCALL_64", cpu -> {
                long regs = sys.userRegs(cpu.task());
                return cpu.call(dispatch, regs, UserRegs.nr(mem, arch, regs));
            });
        } else {
            KFunction handler = fn("el0t_64_sync_handler");
            KFunction svc = fn("el0_svc");
            bind("el0t_64_sync", cpu -> cpu.call(handler, sys.userRegs(cpu.task())));
            handler.bind(cpu -> cpu.call(svc, cpu.arg(0)));
            svc.bind(cpu -> {
                long regs = cpu.arg(0);
                return cpu.call(dispatch, regs, UserRegs.nr(mem, arch, regs), 450, 0);
            });
        }
    }

    /** A syscall wrapper's n-th argument, from the user pt_regs in its first argument: read it first. */
    private long uarg(Cpu cpu, int n) {
        return k.profile().syscallWrappers() ? UserRegs.arg(mem, arch, cpu.arg(0), n) : cpu.arg(n);
    }

    // ================================================================ allocation

    /**
     * Calls an allocator function so that it returns the object {@code factory} builds: the call chain
     * and return value are the kernel's, and the object is laid out by the struct layouts. A nested
     * allocation (from a probe handler on the allocator) is not affected.
     */
    private long allocVia(Cpu cpu, KFunction allocator, LongSupplier factory, long a0, long a1) {
        int id = cpu.id;
        LongSupplier saved = pendingAlloc[id];
        int savedDepth = pendingDepth[id];
        pendingAlloc[id] = factory;
        pendingDepth[id] = cpu.stack().depth() + 1;
        try {
            return cpu.call(allocator, a0, a1, 0x400cc0 /* GFP_KERNEL_ACCOUNT */);
        } finally {
            pendingAlloc[id] = saved;
            pendingDepth[id] = savedDepth;
        }
    }

    private long allocate(Cpu cpu, long size) {
        int id = cpu.id;
        LongSupplier f = pendingAlloc[id];
        if (f != null && pendingDepth[id] == cpu.stack().depth()) {
            pendingAlloc[id] = null;
            return f.getAsLong();
        }
        return objs.slab().kmalloc(Math.max(1, Math.min(size, 1 << 22)));
    }

    private void bindMemory() {
        bind("__kmalloc", cpu -> {
            if (pendingAlloc[cpu.id] != null) {
                return allocate(cpu, cpu.arg(0));
            }
            long size = cpu.arg(0);
            int gfp = (int) cpu.arg(1);
            if ((gfp & GFP_DIRECT_RECLAIM) != 0) {
                mightSleep(cpu, MIGHT_ALLOC_SITE);
            }
            return (gfp & GFP_ZERO) != 0 ? objs.slab().kzalloc(size) : objs.slab().kmalloc(size);
        });
        bind("kmalloc_trace", cpu -> allocate(cpu, cpu.arg(2)));
        bind("kmem_cache_alloc", cpu -> allocate(cpu, 256));
        bind("kmem_cache_alloc_node", cpu -> allocate(cpu, 256));
        bind("kfree", cpu -> {
            long addr = cpu.arg(0);
            if (addr != 0 && !isErr(addr) && mem.regionAt(addr) != null) {
                objs.slab().kfree(addr);
            }
            return 0;
        });
        bind("kmem_cache_free", cpu -> 0);
    }

    // ================================================================ processes

    private void bindProcess() {
        KFunction kernelClone = fn("kernel_clone");
        KFunction copyProcess = fn("copy_process");
        KFunction wakeUp = fn("wake_up_new_task");
        boolean doFork = !kernelClone.name().equals("kernel_clone");
        Body clone = cpu -> {
            long flags = uarg(cpu, 0);
            long newsp = uarg(cpu, 1);
            long ptid = uarg(cpu, 2);
            long ctid = uarg(cpu, 3);
            long tls = uarg(cpu, 4);
            if (doFork) {
                return cpu.callArgs(kernelClone, flags, newsp, 0, ptid, ctid, tls);
            }
            long args = objs.createKernelCloneArgs(new CloneArgs(flags & ~CloneArgs.CSIGNAL, ptid, ctid, ptid,
                    (int) (flags & CloneArgs.CSIGNAL), newsp, 0, tls));
            try {
                return cpu.call(kernelClone, args);
            } finally {
                objs.slab().kfree(args);
            }
        };
        bind(sysName("clone"), clone);
        if (arch == Arch.X86_64) {
            bind(sysName("fork"), cpu -> {
                if (doFork) {
                    return cpu.callArgs(kernelClone, CloneArgs.SIGCHLD, 0, 0, 0, 0, 0);
                }
                long args = objs.createKernelCloneArgs(new CloneArgs(0, 0, 0, 0, CloneArgs.SIGCHLD, 0, 0, 0));
                try {
                    return cpu.call(kernelClone, args);
                } finally {
                    objs.slab().kfree(args);
                }
            });
        }
        if (doFork) {
            // 4.14: long _do_fork(clone_flags, stack_start, stack_size, parent_tidptr, child_tidptr, tls)
            kernelClone.bind(cpu -> {
                long flags = cpu.arg(0);
                long args = objs.createKernelCloneArgs(new CloneArgs(flags & ~CloneArgs.CSIGNAL, cpu.arg(3),
                        cpu.arg(4), cpu.arg(3), (int) (flags & CloneArgs.CSIGNAL), cpu.arg(1), cpu.arg(2), cpu.arg(5)));
                try {
                    return cloneWith(cpu, copyProcess, wakeUp, args);
                } finally {
                    objs.slab().kfree(args);
                }
            });
        } else {
            kernelClone.bind(cpu -> cloneWith(cpu, copyProcess, wakeUp, cpu.arg(0)));
        }
        KFunction dupTask = fn("dup_task_struct");
        KFunction copyCreds = fn("copy_creds");
        KFunction copyFiles = fn("copy_files");
        KFunction copyMm = fn("copy_mm");
        KFunction schedFork = fn("sched_fork");
        KFunction allocPid = fn("alloc_pid");
        copyProcess.bind(cpu -> {
            long args = cpu.arg(3);
            long flags = mem.read64(args + off("kernel_clone_args", "flags"));
            Process parent = current(cpu);
            if (parent == null) {
                return -Errno.EINVAL;
            }
            long ts = cpu.call(dupTask, cpu.task().taskStruct(), -1);
            if (isErr(ts)) {
                return ts;
            }
            cpu.call(copyCreds, ts, flags);
            cpu.call(copyFiles, flags, ts, 0);
            long mm = cpu.call(copyMm, flags, ts);
            cpu.call(schedFork, flags, ts);
            long pidStruct = cpu.call(allocPid, 0, 0, 0);
            int nr = mem.read32(pidStruct + 4);
            mem.write32(ts + off("task_struct", "pid"), nr);
            mem.write32(ts + off("task_struct", "tgid"), nr);
            Task child = new Task(arch, nr, nr, parent.pid(), parent.comm(), false, k.kernelStackBase(nr));
            child.setTaskStruct(ts);
            child.uid = cpu.task().uid;
            k.mapKernelStack(child);
            UserImage image = (flags & CloneArgs.CLONE_VM) != 0 ? parent.image : imageOf(mm, parent);
            Process p = sys.newChild(parent, child, image, sys.pickCpu());
            synchronized (parent) {
                p.fds.putAll(parent.fds);
            }
            p.cwd = parent.cwd;
            return ts;
        });
        dupTask.bind(cpu -> {
            Task cur = cpu.task();
            long node = cpu.arg(1);
            long ts = allocVia(cpu, fn("kmem_cache_alloc_node"), () -> objs.createTask(new TaskSpec(0, cur.comm())
                    .parent(cur.taskStruct()).groupLeader(0)), 0, node);
            cpu.call(fn("alloc_thread_stack_node"), ts, node);
            return ts;
        });
        bind("alloc_thread_stack_node", cpu -> cpu.callArgs(fn("__vmalloc_node_range"), 16384, 16384, 0, 0, 0x400cc0));
        bind("__vmalloc_node_range", cpu -> objs.slab().allocPages(2));
        copyCreds.bind(cpu -> {
            long ts = cpu.arg(0);
            long cred = cpu.call(fn("prepare_creds"));
            mem.write64(ts + off("task_struct", "cred"), cred);
            mem.write64(ts + off("task_struct", "real_cred"), cred);
            return 0;
        });
        bind("prepare_creds", cpu -> {
            int uid = cpu.task().uid;
            return allocVia(cpu, fn("kmem_cache_alloc"), () -> objs.createCred(CredSpec.of(uid, uid)), 0, 0);
        });
        copyMm.bind(cpu -> {
            long flags = cpu.arg(0);
            long ts = cpu.arg(1);
            Process parent = current(cpu);
            if ((flags & CloneArgs.CLONE_VM) != 0) {
                mem.write64(ts + off("task_struct", "mm"), parent.image.mm());
                return parent.image.mm();
            }
            long mm = cpu.call(fn("dup_mm.constprop.0"), ts, parent.image.mm());
            mem.write64(ts + off("task_struct", "mm"), mm);
            mem.write64(ts + off("task_struct", "active_mm"), mm);
            return mm;
        });
        bind("dup_mm.constprop.0", cpu -> {
            Process parent = current(cpu);
            UserImage img = parent.image;
            List<String> argv = readUserStrings(img.memory(), img.argv());
            List<String> envp = readUserStrings(img.memory(), img.envp());
            return allocVia(cpu, fn("kmem_cache_alloc"), () -> objs.createMm(argv, envp, null).mm(), 0, 0);
        });
        allocPid.bind(cpu -> {
            int nr = k.allocPid();
            long pid = allocVia(cpu, fn("kmem_cache_alloc"), () -> objs.slab().kzalloc(96), 0, 0);
            mem.write32(pid, 1);
            mem.write32(pid + 4, nr);
            return pid;
        });

        bind(sysName("execve"), cpu -> {
            long path = uarg(cpu, 0);
            long argv = uarg(cpu, 1);
            long envp = uarg(cpu, 2);
            long filename = cpu.call(fn("getname"), path);
            if (isErr(filename)) {
                return filename;
            }
            return cpu.callArgs(fn("do_execveat_common.isra.0"), -100, filename, argv, envp, 0);
        });
        bindExec();
        bindExit();
    }

    private long cloneWith(Cpu cpu, KFunction copyProcess, KFunction wakeUp, long args) {
        long p = cpu.call(copyProcess, 0, 0, -1, args);
        if (isErr(p)) {
            return p;
        }
        long pid = mem.read32(p + off("task_struct", "pid"));
        cpu.call(wakeUp, p);
        return pid;
    }

    private UserImage imageOf(long mm, Process parent) {
        UserMemory um = objs.userMemory(mm);
        if (um == null) {
            return parent.image;
        }
        UserImage img = parent.image;
        return new UserImage(mm, um, img.sp(), img.argv(), img.envp(), img.argStart(), img.argEnd(), img.envStart(),
                img.envEnd(), img.argc(), img.envc());
    }

    private static List<String> readUserStrings(UserMemory um, long array) {
        List<String> out = new ArrayList<>();
        if (array == 0) {
            return out;
        }
        for (int i = 0; i < 4096; i++) {
            long p = um.read(array + 8L * i, 8);
            if (p == 0) {
                break;
            }
            byte[] buf = new byte[PATH_MAX];
            long n = um.strncpyFromUser(buf, p, buf.length);
            if (n < 0) {
                break;
            }
            out.add(new String(buf, 0, (int) n, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Reads a user string; returns null for a bad pointer. */
    private String userString(Cpu cpu, long uptr) {
        Process p = current(cpu);
        if (p == null) {
            return null;
        }
        byte[] buf = new byte[PATH_MAX];
        long n = p.image.memory().strncpyFromUser(buf, uptr, buf.length);
        if (n < 0) {
            return null;
        }
        if (n >= PATH_MAX) {
            return "\0too-long";
        }
        return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
    }

    private void bindExec() {
        bind("getname", cpu -> cpu.call(fn("getname_flags"), cpu.arg(0), 0, 0));
        bind("getname_flags", cpu -> {
            long uptr = cpu.arg(0);
            String path = userString(cpu, uptr);
            if (path == null) {
                return -Errno.EFAULT;
            }
            if (path.startsWith("\0")) {
                return -Errno.ENAMETOOLONG;
            }
            if (path.isEmpty()) {
                return -Errno.ENOENT;
            }
            long f = allocVia(cpu, fn("kmem_cache_alloc"), () -> objs.vfs().getname(path, uptr), 0, 0);
            cpu.call(fn("strncpy_from_user"), mem.read64(f + off("filename", "name")), uptr, PATH_MAX);
            return f;
        });
        bind("strncpy_from_user", cpu -> {
            String s = userString(cpu, cpu.arg(1));
            return s == null ? -Errno.EFAULT : s.length();
        });
        bind("putname", cpu -> {
            long f = cpu.arg(0);
            if (f != 0 && !isErr(f)) {
                cpu.call(fn("kmem_cache_free"), 0, f);
                objs.vfs().putname(f);
            }
            return 0;
        });
        bind("do_execveat_common.isra.0", cpu -> {
            long filename = cpu.arg(1);
            long argvPtr = cpu.arg(2);
            long envpPtr = cpu.arg(3);
            Process p = current(cpu);
            String path = Vfs.resolve(p.cwd, mem.readCString(mem.read64(filename + off("filename", "name")), PATH_MAX));
            List<String> argv = readUserStrings(p.image.memory(), argvPtr);
            List<String> envp = readUserStrings(p.image.memory(), envpPtr);
            long bprm = cpu.call(fn("alloc_bprm"), -100, filename, 0);
            cpu.call(fn("copy_string_kernel"), filename, bprm);
            cpu.call(fn("copy_strings"), envp.size(), envpPtr, bprm);
            cpu.call(fn("copy_strings"), argv.size(), argvPtr, bprm);
            mem.write32(bprm + off("linux_binprm", "argc"), argv.size());
            mem.write32(bprm + off("linux_binprm", "envc"), envp.size());
            pendingExec[cpu.id] = new Exec(path, argv, envp);
            long ret = cpu.call(fn("bprm_execve"), bprm, -100, filename, 0);
            cpu.call(fn("free_bprm"), bprm);
            cpu.call(fn("putname"), filename);
            return ret;
        });
        bind("alloc_bprm", cpu -> {
            long filename = cpu.arg(1);
            long cred = mem.read64(cpu.task().taskStruct() + off("task_struct", "cred"));
            return allocVia(cpu, fn("kmalloc_trace"), () -> objs.createBinprm(filename, 0, 0, cred, 0, 0, 0), 0, 0);
        });
        bind("copy_strings", cpu -> {
            long argv = cpu.arg(1);
            userPageFault(cpu);
            long first = argv == 0 ? 0 : current(cpu).image.memory().read(argv, 8);
            return first == 0 ? 0 : cpu.call(fn("strncpy_from_user"), 0, first, PATH_MAX) < 0 ? -Errno.EFAULT : 0;
        });
        bind("bprm_execve", cpu -> {
            long bprm = cpu.arg(0);
            long file = cpu.call(fn("do_open_execat"), cpu.arg(1), cpu.arg(2), 0);
            if (isErr(file)) {
                return file;
            }
            mem.write64(bprm + off("linux_binprm", "file"), file);
            cpu.call(fn("sched_exec"));
            return cpu.call(fn("exec_binprm"), bprm);
        });
        bind("do_open_execat", cpu -> {
            Exec e = pendingExec[cpu.id];
            Vfs.Inode node = vfs.lookup(e.path);
            if (node == null) {
                return -Errno.ENOENT;
            }
            if (node.isDir() || (node.mode & 0111) == 0) {
                return -Errno.EACCES;
            }
            return objs.vfs().openFile(e.path);
        });
        bind("search_binary_handler", cpu -> {
            long bprm = cpu.arg(0);
            cpu.call(fn("security_bprm_check"), bprm);
            return cpu.call(fn("load_elf_binary"), bprm);
        });
        bind("load_elf_binary", cpu -> {
            Exec e = pendingExec[cpu.id];
            byte[] head = vfs.read(vfs.lookup(e.path));
            if (head.length < 4 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
                return -Errno.ENOEXEC;
            }
            long bprm = cpu.arg(0);
            cpu.call(fn("begin_new_exec"), bprm);
            cpu.call(fn("setup_new_exec"), bprm);
            cpu.call(fn("start_thread"), 0, 0x401000, 0);
            return 0;
        });
        bind("begin_new_exec", cpu -> {
            Exec e = pendingExec[cpu.id];
            Process p = current(cpu);
            UserImage img = objs.createMm(e.argv, e.envp, e.path);
            Syscalls.mapScratch(img.memory());
            synchronized (p) {
                p.image = img;
            }
            long ts = cpu.task().taskStruct();
            mem.write64(ts + off("task_struct", "mm"), img.mm());
            mem.write64(ts + off("task_struct", "active_mm"), img.mm());
            String base = e.path.substring(e.path.lastIndexOf('/') + 1);
            cpu.call(fn("__set_task_comm"), ts, 0, 0);
            cpu.task().setComm(base);
            objs.ref("task_struct", ts).setChars("comm", cpu.task().comm());
            return 0;
        });
    }

    /**
     * What execve is loading, per CPU: set and used within one {@code execve} call, which holds its CPU
     * throughout, so each slot is only touched by the thread running that CPU.
     */
    private final Exec[] pendingExec = new Exec[64];

    private record Exec(String path, List<String> argv, List<String> envp) {
    }

    private void userPageFault(Cpu cpu) {
        if (arch == Arch.X86_64) {
            cpu.call(fn("asm_exc_page_fault"), 0, 0x6);
        } else {
            cpu.call(fn("el1h_64_sync"));
        }
    }

    private void bindExit() {
        bind(sysName("exit_group"), cpu -> cpu.call(fn("do_group_exit"), (uarg(cpu, 0) & 0xff) << 8));
        bind("do_exit", cpu -> {
            long code = cpu.arg(0);
            long ts = cpu.task().taskStruct();
            cpu.call(fn("exit_mm"));
            cpu.call(fn("exit_files"), ts);
            cpu.call(fn("exit_notify"), ts, 1);
            mem.write32(ts + off("task_struct", "exit_code"), (int) code);
            cpu.call(fn("do_task_dead"));
            return 0;
        });
        bind("do_task_dead", cpu -> {
            cpu.call(fn("__schedule"), 0);
            long code = mem.read32(cpu.task().taskStruct() + off("task_struct", "exit_code"));
            cpu.task().setState(Task.State.ZOMBIE, (int) (code >> 8));
            throw new TaskExit((int) (code >> 8));
        });
        bind("exit_files", cpu -> {
            Process p = current(cpu);
            List<OpenFile> open;
            synchronized (p) {
                open = new ArrayList<>(p.fds.values());
                p.fds.clear();
            }
            cpu.call(fn("put_files_struct"), 0);
            return open.size();
        });
        bind(sysName("wait4"), cpu -> cpu.call(fn("kernel_wait4"), uarg(cpu, 0), uarg(cpu, 1), uarg(cpu, 2), 0));
        bind("kernel_wait4", cpu -> {
            int pid = (int) cpu.arg(0);
            Process p = current(cpu);
            Process reaped = null;
            boolean any;
            synchronized (p) {
                any = !p.children.isEmpty();
                for (Process c : p.children) {
                    if (c.exited && (pid == -1 || c.pid() == pid)) {
                        reaped = c;
                        break;
                    }
                }
                if (reaped != null) {
                    p.children.remove(reaped);
                }
            }
            if (reaped == null) {
                return any ? 0 : -Errno.ECHILD;
            }
            cpu.call(fn("do_wait"), reaped.task.taskStruct());
            k.kprobes().flushTask(reaped.task);
            sys.unregister(reaped);
            return reaped.pid();
        });
        bind("do_wait", cpu -> cpu.call(fn("release_task"), cpu.arg(0)));
    }

    // ================================================================ files

    private OpenFile fdOf(Cpu cpu, long fd) {
        Process p = current(cpu);
        if (p == null) {
            return null;
        }
        synchronized (p) {
            return p.fds.get((int) fd);
        }
    }

    private void bindFiles() {
        bind(sysName("openat"), cpu -> cpu.call(fn("do_sys_open"), uarg(cpu, 0), uarg(cpu, 1), uarg(cpu, 2),
                uarg(cpu, 3)));
        Body openat2 = cpu -> {
            long dfd = cpu.arg(0);
            long how = cpu.arg(2);
            long flags = mem.read64(how + off("open_how", "flags"));
            long tmp = cpu.call(fn("getname"), cpu.arg(1));
            if (isErr(tmp)) {
                return tmp;
            }
            long fd = cpu.call(fn("get_unused_fd_flags"), flags);
            long f = cpu.call(fn("do_filp_open"), dfd, tmp, how);
            if (isErr(f)) {
                cpu.call(fn("putname"), tmp);
                return f;
            }
            cpu.call(fn("fd_install"), fd, f);
            cpu.call(fn("putname"), tmp);
            return fd;
        };
        boolean hasOpenat2 = k.profile() != dev.ksim.kernel.KernelProfile.V4_14;
        bind("do_sys_open", cpu -> {
            long dfd = cpu.arg(0);
            long filename = cpu.arg(1);
            long how = objs.createOpenHow(cpu.arg(2), cpu.arg(3), 0);
            try {
                if (hasOpenat2) {
                    return cpu.call(fn("do_sys_openat2"), dfd, filename, how);
                }
                cpu.setArgsForBody(dfd, filename, how);
                return openat2.run(cpu);
            } finally {
                objs.slab().kfree(how);
            }
        });
        if (hasOpenat2) {
            bind("do_sys_openat2", openat2);
        }
        bind("get_unused_fd_flags", cpu -> {
            Process p = current(cpu);
            synchronized (p) {
                int fd = 3;
                while (p.fds.containsKey(fd)) {
                    fd++;
                }
                p.fds.put(fd, null);
                return fd;
            }
        });
        bind("do_filp_open", cpu -> cpu.call(fn("path_openat"), cpu.arg(1), cpu.arg(2), 0));
        bind("path_openat", cpu -> {
            long filename = cpu.arg(0);
            long how = cpu.arg(1);
            int flags = (int) mem.read64(how + off("open_how", "flags"));
            int mode = (int) mem.read64(how + off("open_how", "mode"));
            Process p = current(cpu);
            String path = Vfs.resolve(p.cwd, mem.readCString(mem.read64(filename + off("filename", "name")), PATH_MAX));
            Vfs.Inode node = vfs.lookup(path);
            if (node == null) {
                if ((flags & Process.O_CREAT) == 0) {
                    return -Errno.ENOENT;
                }
                int r = vfs.create(path, mode);
                if (r < 0) {
                    return r;
                }
                node = vfs.lookup(path);
            } else if ((flags & (Process.O_CREAT | Process.O_EXCL)) == (Process.O_CREAT | Process.O_EXCL)) {
                return -Errno.EEXIST;
            }
            if ((flags & Process.O_DIRECTORY) != 0 && !node.isDir()) {
                return -Errno.ENOTDIR;
            }
            if (node.isDir() && (flags & 3) != Process.O_RDONLY) {
                return -Errno.EISDIR;
            }
            if (node.pseudo != null && !node.pseudo.permits(flags & 3)) {
                return -Errno.EACCES;
            }
            if ((flags & Process.O_TRUNC) != 0 && (flags & 3) != Process.O_RDONLY) {
                int r = vfs.truncate(node);
                if (r < 0) {
                    return r;
                }
            }
            Vfs.Inode opened = node;
            long file = allocVia(cpu, fn("alloc_empty_file"), () -> objs.vfs().openFile(path), flags, 0);
            cpu.call(fn("link_path_walk.part.0"), filename, 0);
            cpu.call(fn("do_open"), 0, file, how);
            openedInodes.put(file, new OpenFile(path, opened, flags, file));
            return file;
        });
        bind("alloc_empty_file", cpu -> cpu.call(fn("kmem_cache_alloc"), 0, 0x400cc0));
        bind("fd_install", cpu -> {
            Process p = current(cpu);
            OpenFile of = openedInodes.remove(cpu.arg(1));
            synchronized (p) {
                p.fds.put((int) cpu.arg(0), of);
            }
            return 0;
        });
        bind(sysName("read"), cpu -> cpu.call(fn("ksys_read"), uarg(cpu, 0), uarg(cpu, 1), uarg(cpu, 2)));
        bind("ksys_read", cpu -> {
            OpenFile of = fdOf(cpu, cpu.arg(0));
            if (of == null) {
                return -Errno.EBADF;
            }
            return cpu.call(fn("vfs_read"), of.file, cpu.arg(1), cpu.arg(2), 0);
        });
        bind("vfs_read", cpu -> {
            OpenFile of = openByFile(cpu, cpu.arg(0));
            long buf = cpu.arg(1);
            long count = cpu.arg(2);
            if (of == null) {
                return -Errno.EBADF;
            }
            if ((of.flags & 3) == Process.O_WRONLY) {
                return -Errno.EBADF;
            }
            long r = cpu.call(fn("rw_verify_area"), 0, of.file, 0, count);
            if (r < 0) {
                return r;
            }
            if (of.inode.isDir()) {
                return -Errno.EISDIR;
            }
            if (of.inode.pseudo != null && of.inode.pseudo.pipe() != null) {
                // A consuming reader: -EAGAIN when empty; Syscalls sleeps outside the CPU and retries.
                byte[] taken = of.inode.pseudo.pipe().take((int) Math.min(count, Integer.MAX_VALUE));
                if (taken.length == 0) {
                    return -Errno.EAGAIN;
                }
                current(cpu).image.memory().writeBytes(buf, taken);
                return taken.length;
            }
            byte[] data;
            if (of.path.equals("/sys/block/vda/queue/read_ahead_kb")) {
                if (of.pos == 0) {
                    cpu.call(fn("seq_read_iter"), 0, 0);
                }
                data = seqBuffer;
            } else if (of.inode.pseudo != null) {
                if (of.pos == 0 || of.seqSnapshot == null) {
                    of.seqSnapshot = vfs.read(of.inode);
                }
                data = of.seqSnapshot;
            } else {
                data = vfs.read(of.inode);
            }
            int n = (int) Math.max(0, Math.min(count, data.length - of.pos));
            byte[] chunk = java.util.Arrays.copyOfRange(data, (int) Math.min(of.pos, data.length), (int) Math.min(of.pos, data.length) + n);
            current(cpu).image.memory().writeBytes(buf, chunk);
            of.pos += n;
            return n;
        });
        bind("seq_read_iter", cpu -> cpu.call(fn("sysfs_kf_seq_show"), 0, 0));
        bind("sysfs_kf_seq_show", cpu -> cpu.call(fn("queue_attr_show"), 0, 0, 0));
        bind("queue_attr_show", cpu -> {
            long page = objs.slab().kzalloc(4096);
            try {
                long n = cpu.call(fn("queue_ra_show"), vda.queue(), page);
                seqBuffer = mem.readBytes(page, (int) Math.max(0, n));
                return n;
            } finally {
                objs.slab().kfree(page);
            }
        });
        bind("queue_ra_show", cpu -> {
            long q = cpu.arg(0);
            long bdi = mem.read64(q + off("request_queue", "backing_dev_info"));
            long raKb = mem.read64(bdi + off("backing_dev_info", "ra_pages")) << 2;
            return cpu.call(fn("queue_var_show"), raKb, cpu.arg(1));
        });
        bind("queue_var_show", cpu -> cpu.call(fn("sprintf"), cpu.arg(1), 0, cpu.arg(0)));
        bind("sprintf", cpu -> {
            byte[] s = (cpu.arg(2) + "\n").getBytes(StandardCharsets.US_ASCII);
            mem.writeBytes(cpu.arg(0), s);
            return s.length;
        });
        bind(sysName("write"), cpu -> cpu.call(fn("ksys_write"), uarg(cpu, 0), uarg(cpu, 1), uarg(cpu, 2)));
        bind("ksys_write", cpu -> {
            OpenFile of = fdOf(cpu, cpu.arg(0));
            if (of == null) {
                return -Errno.EBADF;
            }
            return cpu.call(fn("vfs_write"), of.file, cpu.arg(1), cpu.arg(2), 0);
        });
        bind("vfs_write", cpu -> {
            OpenFile of = openByFile(cpu, cpu.arg(0));
            if (of == null || (of.flags & 3) == Process.O_RDONLY) {
                return -Errno.EBADF;
            }
            long buf = cpu.arg(1);
            long count = cpu.arg(2);
            long r = cpu.call(fn("rw_verify_area"), 1, of.file, 0, count);
            if (r < 0) {
                return r;
            }
            byte[] data = current(cpu).image.memory().readBytes(buf, (int) count);
            if (of.inode.pseudo != null) {
                return vfs.write(of.inode, data, false);
            }
            int n = (of.flags & Process.O_APPEND) != 0 ? vfs.write(of.inode, data, true)
                    : vfs.writeAt(of.inode, of.pos, data);
            if (n > 0) {
                of.pos += n;
            }
            return n;
        });
        bind(sysName("close"), cpu -> cpu.call(fn("close_fd"), uarg(cpu, 0)));
        bind("close_fd", cpu -> {
            Process p = current(cpu);
            OpenFile of;
            synchronized (p) {
                of = p.fds.remove((int) cpu.arg(0));
            }
            if (of == null) {
                return -Errno.EBADF;
            }
            return cpu.call(fn("filp_close"), of.file, 0);
        });
        bind(sysName("unlinkat"), cpu -> {
            long dfd = uarg(cpu, 0);
            long path = uarg(cpu, 1);
            long flag = uarg(cpu, 2);
            long name = cpu.call(fn("getname"), path);
            if (isErr(name)) {
                return name;
            }
            if ((flag & Process.AT_REMOVEDIR) != 0) {
                return cpu.call(fn("do_rmdir"), dfd, name);
            }
            return cpu.call(fn("do_unlinkat"), dfd, name);
        });
        bind("do_unlinkat", cpu -> pathOp(cpu, cpu.arg(1), "filename_parentat", "vfs_unlink", vfs::unlink));
        bind("do_rmdir", cpu -> pathOp(cpu, cpu.arg(1), "filename_parentat", "vfs_rmdir", vfs::rmdir));
        bind(sysName("mkdirat"), cpu -> {
            long dfd = uarg(cpu, 0);
            long path = uarg(cpu, 1);
            long mode = uarg(cpu, 2);
            long name = cpu.call(fn("getname"), path);
            if (isErr(name)) {
                return name;
            }
            return cpu.call(fn("do_mkdirat"), dfd, name, mode);
        });
        bind("do_mkdirat", cpu -> {
            int mode = (int) cpu.arg(2);
            return pathOp(cpu, cpu.arg(1), "filename_create", "vfs_mkdir", path -> vfs.mkdir(path, mode));
        });
        bind(sysName("renameat2"), cpu -> {
            long olddfd = uarg(cpu, 0);
            long oldname = uarg(cpu, 1);
            long newdfd = uarg(cpu, 2);
            long newname = uarg(cpu, 3);
            long flags = uarg(cpu, 4);
            long from = cpu.call(fn("getname"), oldname);
            if (isErr(from)) {
                return from;
            }
            long to = cpu.call(fn("getname"), newname);
            if (isErr(to)) {
                cpu.call(fn("putname"), from);
                return to;
            }
            return cpu.callArgs(fn("do_renameat2"), olddfd, from, newdfd, to, flags);
        });
        bind("do_renameat2", cpu -> {
            Process p = current(cpu);
            long from = cpu.arg(1);
            long to = cpu.arg(3);
            String a = Vfs.resolve(p.cwd, mem.readCString(mem.read64(from + off("filename", "name")), PATH_MAX));
            String b = Vfs.resolve(p.cwd, mem.readCString(mem.read64(to + off("filename", "name")), PATH_MAX));
            long r = vfs.rename(a, b);
            if (r == 0) {
                cpu.call(fn("vfs_rename"), 0);
            }
            cpu.call(fn("putname"), to);
            cpu.call(fn("putname"), from);
            return r;
        });
    }

    private final java.util.Map<Long, OpenFile> openedInodes = new java.util.concurrent.ConcurrentHashMap<>();
    /** Output of the last sysfs show on this kernel; set and read within one read() call. */
    private volatile byte[] seqBuffer = new byte[0];

    private OpenFile openByFile(Cpu cpu, long file) {
        Process p = current(cpu);
        if (p == null) {
            return null;
        }
        synchronized (p) {
            for (OpenFile of : p.fds.values()) {
                if (of != null && of.file == file) {
                    return of;
                }
            }
        }
        return null;
    }

    private interface PathAction {
        int apply(String path);
    }

    private long pathOp(Cpu cpu, long filename, String lookup, String vfsOp, PathAction action) {
        Process p = current(cpu);
        String path = Vfs.resolve(p.cwd, mem.readCString(mem.read64(filename + off("filename", "name")), PATH_MAX));
        cpu.call(fn(lookup), -100, filename, 0, 0);
        int r = action.apply(path);
        if (r == 0) {
            cpu.call(fn(vfsOp), 0, 0, 0, 0);
        }
        cpu.call(fn("putname"), filename);
        return r;
    }

    // ================================================================ scheduling

    private void bindSched() {
        bind(sysName("sched_yield"), cpu -> cpu.call(fn("do_sched_yield")));
        bind("__schedule", cpu -> {
            boolean sleeping = cpu.arg(0) == 1;
            Task prev = cpu.task();
            cpu.call(fn("pick_next_task_fair"), 0, prev.taskStruct(), 0);
            if (!sleeping) {
                return 0;
            }
            Task idle = k.idleTask(cpu.id);
            cpu.call(fn(arch == Arch.X86_64 ? "__switch_to_asm" : "__switch_to"), prev.taskStruct(), idle.taskStruct());
            long nanos = sleepNanos[cpu.id];
            if (nanos > 0 && k.scheduler() != null) {
                k.scheduler().advance(nanos);
            } else if (nanos > 0) {
                cpu.blocking(() -> {
                    try {
                        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            cpu.call(fn("finish_task_switch.isra.0"), prev.taskStruct());
            return 0;
        });
        bind("schedule", cpu -> {
            if (cpu.preemptCount() != 0) {
                return scheduleWhileAtomic(cpu);
            }
            return cpu.call(fn("__schedule"), sleepNanos[cpu.id] > 0 ? 1 : 0);
        });
        bind("__cond_resched", cpu -> {
            cpu.blocking(() -> { }); // a quiescent state (rcu_all_qs) that also touches the watchdog
            return 0;
        });
        bind("__might_sleep", cpu -> cpu.call(fn("__might_resched"), cpu.arg(0), cpu.arg(1), 0));
        bind("__might_resched", cpu -> {
            String[] site = mightSleepSite[cpu.id];
            return k.diagnostics().mightResched(cpu, site[0], Integer.parseInt(site[1])) ? 1 : 0;
        });
        bind("msleep", cpu -> {
            long nanos = cpu.arg(0) * 1_000_000L;
            if (mightSleep(cpu, MSLEEP_SITE)) {
                delay(cpu, nanos);
                return 0;
            }
            return sleepFor(cpu, nanos, fn("schedule_timeout"), Math.max(1, nanos / (1_000_000_000L / Jiffies.HZ)));
        });
        bind("usleep_range_state", cpu -> {
            long nanos = cpu.arg(0) * 1_000L;
            if (mightSleep(cpu, USLEEP_RANGE_SITE)) {
                delay(cpu, nanos);
                return 0;
            }
            return sleepFor(cpu, nanos, fn("schedule_hrtimeout_range"), nanos);
        });
        bind("schedule_timeout", cpu -> cpu.call(fn("schedule")));
        bind("schedule_hrtimeout_range", cpu -> cpu.call(fn("schedule")));
        if (arch == Arch.X86_64) {
            bind("__switch_to_asm", cpu -> cpu.call(fn("__switch_to"), cpu.arg(0), cpu.arg(1)));
        }
        bind("do_sched_yield", cpu -> cpu.call(fn("schedule")));
        bind(sysName("nanosleep"), cpu -> {
            long ts = uarg(cpu, 0);
            UserMemory um = current(cpu).image.memory();
            long ns = um.read(ts, 8) * 1_000_000_000L + um.read(ts + 8, 8);
            return cpu.call(fn("hrtimer_nanosleep"), ns, 1, 1);
        });
        bind("do_nanosleep", cpu -> {
            sleepNanos[cpu.id] = cpu.arg(0);
            try {
                return cpu.call(fn("schedule"));
            } finally {
                sleepNanos[cpu.id] = 0;
            }
        });
        bind("hrtimer_nanosleep", cpu -> cpu.call(fn("do_nanosleep"), cpu.arg(0), 1));
    }

    private final long[] sleepNanos = new long[64];

    /** The {@code might_sleep()} site ({file, line}) the next {@code __might_resched} on a CPU reports. */
    private final String[][] mightSleepSite = new String[64][];

    /** {@code __GFP_ZERO}. */
    private static final int GFP_ZERO = 0x100;
    /** {@code __GFP_DIRECT_RECLAIM}: the allocation may sleep to reclaim memory. */
    private static final int GFP_DIRECT_RECLAIM = 0x400;
    /** {@code might_alloc()}'s {@code might_sleep_if()}, {@code include/linux/sched/mm.h} of 6.8. */
    private static final String[] MIGHT_ALLOC_SITE = {"include/linux/sched/mm.h", "306"};
    /** {@code might_fault()} in the user-copy helpers, {@code include/linux/uaccess.h} of 6.8. */
    private static final String[] MIGHT_FAULT_SITE = {"include/linux/uaccess.h", "161"};

    /**
     * {@code might_fault()}: the user-copy helpers may fault a page in, so may sleep.
     *
     * @param cpu the CPU
     * @return true if the context was atomic
     */
    public boolean mightFault(Cpu cpu) {
        return mightSleep(cpu, MIGHT_FAULT_SITE);
    }
    /** {@code might_sleep()} in {@code msleep()}, {@code kernel/time/timer.c} of 6.8. */
    private static final String[] MSLEEP_SITE = {"kernel/time/timer.c", "2159"};
    /** {@code might_sleep()} in {@code usleep_range_state()}, {@code kernel/time/timer.c} of 6.8. */
    private static final String[] USLEEP_RANGE_SITE = {"kernel/time/timer.c", "2198"};

    /**
     * {@code might_sleep()} at a site: calls {@code __might_sleep} on the CPU's stack.
     *
     * @param cpu the CPU
     * @param site {file, line}
     * @return true if the context was atomic
     */
    public boolean mightSleep(Cpu cpu, String[] site) {
        mightSleepSite[cpu.id] = site;
        return cpu.call(fn("__might_sleep"), 0, 0) != 0;
    }

    /** The kernel's answer to a sleep it could not honour: the CPU spins (as {@code mdelay}) for the time. */
    private void delay(Cpu cpu, long nanos) {
        if (k.scheduler() != null) {
            k.scheduler().advance(nanos);
        } else {
            long end = System.nanoTime() + nanos;
            while (System.nanoTime() - end < 0) {
                Thread.onSpinWait();
            }
        }
    }

    private long sleepFor(Cpu cpu, long nanos, KFunction timeout, long arg) {
        sleepNanos[cpu.id] = nanos;
        try {
            return cpu.call(timeout, arg, 0, 0);
        } finally {
            sleepNanos[cpu.id] = 0;
        }
    }

    /**
     * {@code __schedule_bug()} and the kernel's recovery: the report, then the switch happens with the
     * preempt count forced to zero; the caller's count is given back when it resumes, so the probe code
     * that disabled preemption still re-enables it in balance.
     */
    private long scheduleWhileAtomic(Cpu cpu) {
        k.diagnostics().scheduleBug(cpu);
        int saved = cpu.preemptCount();
        boolean irqs = cpu.irqsDisabled;
        cpu.setPreemptCount(0);
        cpu.irqsDisabled = false;
        try {
            return cpu.call(fn("__schedule"), sleepNanos[cpu.id] > 0 ? 1 : 0);
        } finally {
            cpu.setPreemptCount(saved);
            cpu.irqsDisabled = irqs;
        }
    }

    // ================================================================ printk

    private void bindPrintk() {
        KFunction vprintk = fn("vprintk");
        KFunction vprintkDefault = fn("vprintk_default");
        KFunction vprintkEmit = fn("vprintk_emit");
        KFunction vprintkStore = fn("vprintk_store");
        KFunction consoleUnlock = fn("console_unlock");
        bind("_printk", cpu -> cpu.call(vprintk, cpu.arg(0), cpu.arg(1)));
        vprintk.bind(cpu -> cpu.call(vprintkDefault, cpu.arg(0), cpu.arg(1)));
        vprintkDefault.bind(cpu -> cpu.call(vprintkEmit, 0, -1, 0, cpu.arg(0), cpu.arg(1)));
        vprintkEmit.bind(cpu -> {
            long n = cpu.call(vprintkStore, 0, -1, 0, 0, cpu.arg(3), cpu.arg(4));
            cpu.call(consoleUnlock);
            return n;
        });
        vprintkStore.bind(cpu -> k.log().storePending(cpu));
    }
}
