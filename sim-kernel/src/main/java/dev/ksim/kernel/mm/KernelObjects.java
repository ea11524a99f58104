package dev.ksim.kernel.mm;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds real kernel structures in a simulated kernel's memory, so that probe handlers find in
 * {@code regs->di} what the real kernel would pass: tasks with their creds and address spaces,
 * exec-time {@code linux_binprm}s, {@code kernel_clone_args}, {@code open_how}, block queues, and (via
 * {@link #vfs()}) {@code struct filename} and opened files.
 *
 * <p>Every field is written through {@link StructRef}, by member name in the kernel's
 * {@link StructLayouts}, so a layout change never breaks a builder. Objects come from the slab caches
 * the kernel uses for them ({@code task_struct}, {@code cred_jar}, {@code mm_struct}, {@code filp},
 * {@code dentry}, {@code names_cache}, …) or from {@code kmalloc}.
 *
 * <p>User memory: each {@code mm_struct} made by {@link #createMm} gets its own {@link UserMemory}
 * holding the argument and environment strings on its stack ({@code mm->arg_start} etc. point there),
 * found again with {@link #userMemory(long)} so that {@code copy_from_user} can be served later.
 *
 * <p>Thread safety: all methods may be called from any thread; state is in the thread-safe slab, in
 * concurrent maps and atomics, and in {@link VfsObjects} (its own lock). The canary generator is guarded
 * by its own monitor.
 */
public final class KernelObjects {
    /** {@code THREAD_SIZE_ORDER} on x86_64: 16 KiB kernel stacks. */
    public static final int THREAD_SIZE_ORDER = 2;
    /** The size of the user stack mapping made for a new process image. */
    public static final int USER_STACK_SIZE = 132 << 10;
    /** {@code VM_READAHEAD_PAGES}: 128 KiB of read-ahead in 4 KiB pages. */
    public static final int VM_READAHEAD_PAGES = 32;
    /** {@code CAP_FULL_SET} with {@code CAP_LAST_CAP == 40}. */
    public static final long CAP_FULL_SET = (1L << 41) - 1;
    /** {@code AUDIT_UID_UNSET} / {@code AUDIT_SID_UNSET}: {@code (unsigned)-1}. */
    public static final int AUDIT_UNSET = -1;

    private final KernelMemory memory;
    private final Slab slab;
    private final StructLayouts layouts;
    private final KmemCache taskCache;
    private final KmemCache credCache;
    private final KmemCache mmCache;
    private final KmemCache filesCache;
    private final KmemCache fsCache;
    private final KmemCache requestQueueCache;
    private final VfsObjects vfs;
    private final Map<Long, UserMemory> userMemories = new ConcurrentHashMap<>();
    private final AtomicLong nextBdiId = new AtomicLong(1);
    /** Deterministic stack canaries; guarded by itself. */
    private final SplittableRandom canaries = new SplittableRandom(0x6b73696dL);
    /** The shared {@code init_nsproxy}, made on first use; guarded by this. */
    private long initNsproxy;

    /**
     * Creates the object caches in a kernel's slab allocator.
     *
     * @param slab the kernel's allocator (its memory is where objects live)
     * @param layouts the kernel's structure layouts
     * @throws IllegalArgumentException if a cache already exists in the allocator or a needed structure
     *     is missing from the layouts
     */
    public KernelObjects(Slab slab, StructLayouts layouts) {
        this.slab = Objects.requireNonNull(slab, "slab");
        this.memory = slab.memory();
        this.layouts = Objects.requireNonNull(layouts, "layouts");
        this.taskCache = slab.createCache("task_struct", layouts.require("task_struct").size(),
                layouts.require("task_struct").align());
        this.credCache = slab.createCache("cred_jar", layouts.require("cred").size(), 8);
        this.mmCache = slab.createCache("mm_struct", layouts.require("mm_struct").size(), 64);
        this.filesCache = slab.createCache("files_cache", layouts.require("files_struct").size(), 64);
        this.fsCache = slab.createCache("fs_cache", layouts.require("fs_struct").size(), 8);
        this.requestQueueCache = slab.createCache("request_queue", layouts.require("request_queue").size(), 8);
        this.vfs = new VfsObjects(this, slab, layouts);
    }

    /** @return the kernel address space objects live in */
    public KernelMemory memory() {
        return memory;
    }

    /** @return the allocator */
    public Slab slab() {
        return slab;
    }

    /** @return the structure layouts */
    public StructLayouts layouts() {
        return layouts;
    }

    /** @return the builders of files, dentries, inodes and {@code struct filename} */
    public VfsObjects vfs() {
        return vfs;
    }

    /**
     * @param struct a structure's name
     * @param addr its address
     * @return a by-name accessor for it
     */
    public StructRef ref(String struct, long addr) {
        return new StructRef(memory, layouts, struct, addr);
    }

    // ---------------------------------------------------------------- creds and tasks

    /**
     * A {@code struct cred} with {@code usage} 1: root gets every capability in its permitted and
     * effective sets, anyone else none; every cred gets the full bounding set. Keyrings, LSM blob, user
     * and namespaces are NULL.
     *
     * @param ids the ids
     * @return the {@code struct cred} address
     */
    public long createCred(CredSpec ids) {
        long cred = alloc(credCache, true);
        long caps = ids.euid() == 0 ? CAP_FULL_SET : 0;
        ref("cred", cred)
                .set("usage", 1)
                .set("uid", ids.uid()).set("gid", ids.gid())
                .set("suid", ids.suid()).set("sgid", ids.sgid())
                .set("euid", ids.euid()).set("egid", ids.egid())
                .set("fsuid", ids.fsuid()).set("fsgid", ids.fsgid())
                .set("cap_permitted", caps)
                .set("cap_effective", caps)
                .set("cap_bset", CAP_FULL_SET);
        return cred;
    }

    /**
     * A {@code task_struct}, as {@code copy_process()} leaves it: running ({@code __state} 0), nice 0
     * priorities, a 16 KiB kernel stack, empty {@code children}/{@code sibling}/{@code tasks}/thread
     * lists, {@code real_cred == cred} (sharing adds two references), its own {@code fs_struct} and
     * {@code files_struct} (one user, no open files, {@code fdt} pointing at its embedded table), the shared {@code init_nsproxy}, unset audit ids, and
     * {@code exit_signal} {@code SIGCHLD} for a process leader (-1 for a thread).
     * {@code signal}/{@code sighand} are NULL.
     *
     * @param spec the task's identity and links
     * @return the {@code task_struct} address
     */
    public long createTask(TaskSpec spec) {
        long task = alloc(taskCache, true);
        long stack = slab.allocPages(THREAD_SIZE_ORDER);
        if (stack == 0) {
            throw new IllegalStateException("ENOMEM: kernel stack");
        }
        long cred = spec.cred;
        if (cred == 0) {
            cred = createCred(CredSpec.root());
            ref("cred", cred).set("usage", 2);
        } else {
            StructRef c = ref("cred", cred);
            c.set("usage", c.get("usage") + 2);
        }
        long canary;
        synchronized (canaries) {
            canary = canaries.nextLong() & ~0xffL;
        }
        boolean leader = spec.tgid == spec.pid;
        StructRef t = ref("task_struct", task)
                .set("__state", 0)
                .set("stack", stack)
                .set("usage", 1)
                .set("flags", spec.flags)
                .set("prio", 120).set("static_prio", 120).set("normal_prio", 120)
                .set("policy", 0)
                .set("nr_cpus_allowed", 1)
                .set("mm", spec.mm)
                .set("active_mm", spec.mm)
                .set("exit_signal", leader ? CloneArgs.SIGCHLD : -1)
                .set("pid", spec.pid)
                .set("tgid", spec.tgid)
                .set("stack_canary", canary)
                .set("real_parent", spec.parent == 0 ? task : spec.parent)
                .set("parent", spec.parent == 0 ? task : spec.parent)
                .set("group_leader", spec.groupLeader == 0 ? task : spec.groupLeader)
                .set("start_time", spec.startTime)
                .set("start_boottime", spec.startTime)
                .set("real_cred", cred)
                .set("cred", cred)
                .set("fs", newFsStruct())
                .set("files", newFilesStruct())
                .set("nsproxy", initNsproxy())
                .set("loginuid", AUDIT_UNSET)
                .set("sessionid", AUDIT_UNSET)
                .setChars("comm", spec.comm);
        for (String list : new String[] {"tasks", "children", "sibling", "ptraced", "ptrace_entry", "thread_group",
            "thread_node"}) {
            t.initListHead(list);
        }
        if (spec.parent != 0 && spec.parent != task) {
            t.listAdd("sibling", ref("task_struct", spec.parent).addrOf("children"));
        }
        return task;
    }

    private long newFsStruct() {
        long fs = alloc(fsCache, true);
        long root = vfs.root();
        long mnt = vfs.rootMount();
        ref("fs_struct", fs).set("users", 1).set("umask", 022)
                .set("root.mnt", mnt).set("root.dentry", root)
                .set("pwd.mnt", mnt).set("pwd.dentry", root);
        return fs;
    }

    private long newFilesStruct() {
        long files = alloc(filesCache, true);
        StructRef f = ref("files_struct", files).set("count", 1).set("next_fd", 0);
        f.set("fdt", f.addrOf("fdtab"))
                .set("fdtab.max_fds", 64)
                .set("fdtab.fd", f.addrOf("fd_array"))
                .set("fdtab.close_on_exec", f.addrOf("close_on_exec_init"))
                .set("fdtab.open_fds", f.addrOf("open_fds_init"))
                .set("fdtab.full_fds_bits", f.addrOf("full_fds_bits_init"));
        return files;
    }

    private synchronized long initNsproxy() {
        if (initNsproxy == 0) {
            initNsproxy = kzalloc(layouts.require("nsproxy").size());
            ref("nsproxy", initNsproxy).set("count", 1);
        }
        StructRef ns = ref("nsproxy", initNsproxy);
        ns.set("count", ns.get("count") + 1);
        return initNsproxy;
    }

    // ---------------------------------------------------------------- address spaces

    /**
     * A process image: an {@code mm_struct} (one user, one mapping) and a new {@link UserMemory} whose
     * stack holds the strings and vectors {@code execve} leaves (see {@link UserImage}).
     * {@code mm->exe_file} is an opened file for {@code exePath}; {@code mm->arg_*}, {@code env_*} and
     * {@code start_stack} point into the stack.
     *
     * @param argv the arguments ({@code argv[0]} first)
     * @param envp the environment strings
     * @param exePath the executable's path, stored at the stack top and opened for {@code exe_file}; null
     *     for neither
     * @return the image
     * @throws IllegalArgumentException if the strings do not fit the stack ({@code E2BIG})
     */
    public UserImage createMm(List<String> argv, List<String> envp, String exePath) {
        long need = 8 + (exePath == null ? 0 : utf8Size(exePath)) + 8L * (argv.size() + envp.size() + 5) + 16;
        for (String s : argv) {
            need += utf8Size(s);
        }
        for (String s : envp) {
            need += utf8Size(s);
        }
        if (need > USER_STACK_SIZE) {
            throw new IllegalArgumentException("E2BIG: arguments and environment need " + need + " bytes");
        }
        VirtualAddressLayout va = memory.layout();
        UserMemory um = new UserMemory(va, exePath == null ? "anonymous" : exePath);
        long top = va.userStackTop();
        um.map("[stack]", top - USER_STACK_SIZE, USER_STACK_SIZE, Prot.RW);

        long p = top - 8; // the NULL end marker below the top
        if (exePath != null) {
            p = pushString(um, p, exePath);
        }
        long envEnd = p;
        long[] envPtrs = new long[envp.size()];
        for (int i = envp.size() - 1; i >= 0; i--) {
            p = pushString(um, p, envp.get(i));
            envPtrs[i] = p;
        }
        long envStart = p;
        long[] argPtrs = new long[argv.size()];
        for (int i = argv.size() - 1; i >= 0; i--) {
            p = pushString(um, p, argv.get(i));
            argPtrs[i] = p;
        }
        long argStart = p;
        int words = 1 + argv.size() + 1 + envp.size() + 1 + 2;
        long sp = (p - 8L * words) & ~15L;
        long w = sp;
        um.write(w, 8, argv.size());
        w += 8;
        for (long a : argPtrs) {
            um.write(w, 8, a);
            w += 8;
        }
        um.write(w, 8, 0);
        w += 8;
        long envpArray = w;
        for (long e : envPtrs) {
            um.write(w, 8, e);
            w += 8;
        }
        um.write(w, 8, 0);
        w += 8;
        um.write(w, 8, 0); // AT_NULL
        um.write(w + 8, 8, 0);

        long mm = alloc(mmCache, true);
        long exe = exePath == null ? 0 : vfs.openFile(exePath);
        ref("mm_struct", mm)
                .set("mm_users", 1)
                .set("mm_count", 1)
                .set("map_count", 1)
                .set("task_size", va.taskSizeMax())
                .set("mmap_base", va.taskSizeMax() / 3 * 2 & ~0xfffL)
                .set("stack_vm", USER_STACK_SIZE >> MemoryRegion.PAGE_SHIFT)
                .set("total_vm", USER_STACK_SIZE >> MemoryRegion.PAGE_SHIFT)
                .set("start_stack", sp)
                .set("arg_start", argStart)
                .set("arg_end", envStart)
                .set("env_start", envStart)
                .set("env_end", envEnd)
                .set("exe_file", exe)
                .initListHead("mmlist");
        userMemories.put(mm, um);
        return new UserImage(mm, um, sp, sp + 8, envpArray, argStart, envStart, envStart, envEnd, argv.size(),
                envp.size());
    }

    /**
     * @param mm an {@code mm_struct} address from {@link #createMm}
     * @return its user memory, or null
     */
    public UserMemory userMemory(long mm) {
        return userMemories.get(mm);
    }

    private static long utf8Size(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length + 1L;
    }

    private static long pushString(UserMemory um, long p, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long at = p - b.length - 1;
        byte[] z = java.util.Arrays.copyOf(b, b.length + 1);
        um.writeBytes(at, z);
        return at;
    }

    // ---------------------------------------------------------------- exec, clone, open

    /**
     * A {@code struct linux_binprm} as {@code alloc_bprm()} and {@code bprm_execve()} leave it before
     * the binary handler runs: {@code filename} and {@code interp} both point to the
     * {@code struct filename}'s string, {@code rlim_stack} is 8 MiB / unlimited, {@code buf} is zero
     * (the simulator has no file contents).
     *
     * @param filename the {@code struct filename} of the path being executed
     * @param file the opened executable
     * @param mm the new {@code mm_struct}
     * @param cred the new {@code struct cred}
     * @param argc the number of arguments
     * @param envc the number of environment strings
     * @param p the current top of the argument area in the new stack ({@code bprm->p})
     * @return the {@code linux_binprm} address
     */
    public long createBinprm(long filename, long file, long mm, long cred, int argc, int envc, long p) {
        long bprm = kzalloc(layouts.require("linux_binprm").size());
        long name = ref("filename", filename).get("name");
        ref("linux_binprm", bprm)
                .set("mm", mm)
                .set("p", p)
                .set("file", file)
                .set("cred", cred)
                .set("argc", argc)
                .set("envc", envc)
                .set("filename", name)
                .set("interp", name)
                .set("fdpath", 0)
                .set("execfd", -1)
                .set("rlim_stack.rlim_cur", 8L << 20)
                .set("rlim_stack.rlim_max", -1L);
        return bprm;
    }

    /**
     * Writes a {@code struct kernel_clone_args} at a given address, e.g. on a task's kernel stack where
     * the real syscall keeps it.
     *
     * @param addr where to write (at least {@code sizeof(struct kernel_clone_args)} writable bytes)
     * @param args the values; every other member is zeroed
     * @return {@code addr}
     */
    public long initKernelCloneArgs(long addr, CloneArgs args) {
        memory.fill(addr, layouts.require("kernel_clone_args").size(), 0);
        ref("kernel_clone_args", addr)
                .set("flags", args.flags())
                .set("pidfd", args.pidfd())
                .set("child_tid", args.childTid())
                .set("parent_tid", args.parentTid())
                .set("exit_signal", args.exitSignal())
                .set("stack", args.stack())
                .set("stack_size", args.stackSize())
                .set("tls", args.tls());
        return addr;
    }

    /**
     * A {@code struct kernel_clone_args} in a {@code kmalloc} buffer (the kernel keeps it on the stack;
     * free this one with {@code kfree}).
     *
     * @param args the values
     * @return its address
     */
    public long createKernelCloneArgs(CloneArgs args) {
        return initKernelCloneArgs(kmalloc(layouts.require("kernel_clone_args").size()), args);
    }

    /**
     * A {@code struct open_how} in a {@code kmalloc} buffer (the kernel keeps it on the stack).
     *
     * @param flags {@code open()} flags
     * @param mode creation mode
     * @param resolve {@code RESOLVE_*} flags
     * @return its address
     */
    public long createOpenHow(long flags, long mode, long resolve) {
        long how = kzalloc(layouts.require("open_how").size());
        ref("open_how", how).set("flags", flags).set("mode", mode).set("resolve", resolve);
        return how;
    }

    // ---------------------------------------------------------------- block

    /**
     * A disk's {@code request_queue}, {@code gendisk} and {@code backing_dev_info}, linked together.
     * The bdi's {@code ra_pages} and {@code io_pages} are {@code raPages}; its {@code dev_name} is
     * {@code "major:minor"}.
     *
     * @param diskName the disk's name, e.g. {@code "sda"} (at most 31 bytes)
     * @param major the major number
     * @param firstMinor the first minor number
     * @param raPages read-ahead in pages; {@link #VM_READAHEAD_PAGES} (32, i.e. 128 KiB) is the default
     * @return the three addresses
     */
    public BlockQueue createRequestQueue(String diskName, int major, int firstMinor, long raPages) {
        long bdi = kzalloc(layouts.require("backing_dev_info").size());
        long disk = kzalloc(layouts.require("gendisk").size());
        long q = alloc(requestQueueCache, true);
        ref("backing_dev_info", bdi)
                .set("id", nextBdiId.getAndIncrement())
                .initListHead("bdi_list")
                .set("ra_pages", raPages)
                .set("io_pages", raPages)
                .set("max_ratio", 100)
                .set("max_prop_frac", 1024)
                .setChars("dev_name", major + ":" + firstMinor);
        ref("gendisk", disk)
                .set("major", major)
                .set("first_minor", firstMinor)
                .set("minors", 16)
                .setChars("disk_name", diskName)
                .set("queue", q)
                .set("bdi", bdi);
        ref("request_queue", q)
                .set("queue_depth", 64)
                .set("nr_hw_queues", 1)
                .set("disk", disk)
                .set("backing_dev_info", bdi);
        return new BlockQueue(q, disk, bdi);
    }

    // ---------------------------------------------------------------- allocation helpers

    long kmalloc(long size) {
        long a = slab.kmalloc(size);
        if (a == 0) {
            throw new IllegalStateException("ENOMEM: kmalloc(" + size + ")");
        }
        return a;
    }

    long kzalloc(long size) {
        long a = slab.kzalloc(size);
        if (a == 0) {
            throw new IllegalStateException("ENOMEM: kzalloc(" + size + ")");
        }
        return a;
    }

    private static long alloc(KmemCache cache, boolean zero) {
        long a = zero ? cache.zalloc() : cache.alloc();
        if (a == 0) {
            throw new IllegalStateException("ENOMEM: " + cache.name());
        }
        return a;
    }
}
