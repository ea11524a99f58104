package dev.ksim.kernel;

import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.Rcu;
import dev.ksim.kernel.cpu.Task;
import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.kernel.diag.Diagnostics;
import dev.ksim.kernel.diag.Taint;
import dev.ksim.kernel.fs.KernelViews;
import dev.ksim.kernel.fs.Vfs;
import dev.ksim.kernel.image.ImageCatalog;
import dev.ksim.kernel.kprobes.KprobeEngine;
import dev.ksim.kernel.kprobes.KprobeHost;
import dev.ksim.kernel.mm.KernelMemory;
import dev.ksim.kernel.mm.KernelObjects;
import dev.ksim.kernel.mm.Prot;
import dev.ksim.kernel.mm.Slab;
import dev.ksim.kernel.mm.SlabListener;
import dev.ksim.kernel.mm.StructLayouts;
import dev.ksim.kernel.mm.TaskSpec;
import dev.ksim.kernel.mm.VirtualAddressLayout;
import dev.ksim.kernel.cpu.KernelStack;
import dev.ksim.kernel.proc.KernelBodies;
import dev.ksim.kernel.proc.Process;
import dev.ksim.kernel.proc.Syscalls;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.kernel.text.KernelText;
import dev.ksim.kernel.text.Symbol;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Jprobe;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.spi.KernelBinding;
import dev.ksim.sdk.spi.KernelServices;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simulated Linux kernel: its text and symbols, CPUs and tasks, kprobes, log, file system and taint.
 * Several kernels can live in one JVM; each is independent.
 *
 * <pre>{@code
 * try (SimKernel k = SimKernel.boot(BootOptions.defaults())) {
 *     k.run(() -> register_kprobe(kp));       // module-style code, bound to this kernel
 *     k.process("sh").fork();                  // a workload: passes through kernel_clone
 *     System.out.print(k.dmesg());
 * }
 * }</pre>
 */
public final class SimKernel implements KernelServices, AutoCloseable {
    /** Kernels booted and not yet closed, oldest first: the SPI's default is the newest. */
    private static final List<SimKernel> LIVE = new CopyOnWriteArrayList<>();

    private final BootOptions options;
    private final KernelText text;
    private final List<Cpu> cpus;
    private final Rcu rcu;
    private final Taint taint = new Taint();
    /** {@code get_random_u64()}'s generator: seeded from the boot seed, so deterministic boots repeat. */
    private final java.util.SplittableRandom random;
    /** The soft-lockup detector of this kernel's CPUs. */
    private final dev.ksim.kernel.diag.SoftLockupWatchdog watchdog;
    /** The simulated kernel functions' Java bodies. */
    private final KernelBodies bodies;
    private final Diagnostics diag;
    private final KprobeEngine kprobes;
    private final Vfs vfs = new Vfs();
    private final KernelLog log;
    private final dev.ksim.kernel.bpf.BpfPrintk bpfPrintk;
    private final AtomicInteger nextPid = new AtomicInteger(1);
    private final KernelMemory memory;
    private final StructLayouts layouts;
    private final KernelObjects objects;
    private final Syscalls syscalls;
    private final Task[] idle;
    /** The deterministic scheduler, or null when CPUs run in parallel. */
    private final dev.ksim.kernel.cpu.DeterministicScheduler scheduler;
    private final Task initTask;
    private final Process init;
    /** tracefs: the trace buffer, dynamic events and uprobes. */
    private final dev.ksim.kernel.trace.Tracing tracing;
    /** Runs simulated user programs (and their uprobes). */
    private final dev.ksim.kernel.elf.UserRuntime userRuntime;
    private volatile boolean closed;

    private SimKernel(BootOptions o) {
        this.options = o;
        this.scheduler = o.deterministic() ? new dev.ksim.kernel.cpu.DeterministicScheduler(o.seed()) : null;
        this.random = o.deterministic() ? new java.util.SplittableRandom(o.seed() ^ 0x72616e646f6dL)
                : new java.util.SplittableRandom();
        this.log = new KernelLog(this, o);
        if (scheduler != null) {
            log.useVirtualClock(scheduler::nanos);
        }
        log.bootBanner(o.profile().release);
        this.text = new KernelText(o.arch(), ImageCatalog.functions(o.arch(), o.profile()), ImageCatalog.data());
        text.linkImage();
        this.diag = new Diagnostics(o.arch(), text, taint, o.profile().release, log::line, () -> modulesLinkedIn.get(),
                this::jiffies);
        List<Cpu> cs = new ArrayList<>();
        Host host = new Host();
        this.kprobes = new KprobeEngine(host, o.configKprobes(), o.maxInsnPages(),
                o.profile().defaultMaxactive(o.cpus(), o.preemption()), o.cpus(), o.profile());
        if (o.profile().correctStacktraceOnKretprobe()) {
            diag.resolveKretprobeFrames(kprobes);
        }
        for (int i = 0; i < o.cpus(); i++) {
            cs.add(new Cpu(i, o.arch(), kprobes));
        }
        this.cpus = Collections.unmodifiableList(cs);
        for (Cpu c : cs) {
            kprobes.describeContexts(c);
        }
        this.rcu = new Rcu(cpus);

        boolean x86 = o.arch() == Arch.X86_64;
        this.memory = new KernelMemory(x86 ? VirtualAddressLayout.X86_64 : VirtualAddressLayout.ARM64);
        this.layouts = x86 ? StructLayouts.x86_64_v6() : StructLayouts.arm64_v6();
        Slab slab = new Slab(memory, o.arch().directMapBase, 1L << 32, SlabListener.IGNORE);
        this.objects = new KernelObjects(slab, layouts);
        this.syscalls = new Syscalls(this, objects);
        mapKernelData(o.profile().release, o.cpus());
        this.idle = new Task[o.cpus()];
        for (int i = 0; i < idle.length; i++) {
            idle[i] = new Task(o.arch(), 0, 0, 0, "swapper/" + i, true, kernelStackBase(0) + 0x8000L * i);
            idle[i].setTaskStruct(objects.createTask(new TaskSpec(0, "swapper/" + i).kernelThread()));
            mapKernelStack(idle[i]);
        }
        vfs.mkdir("/sbin", 0755);
        vfs.create("/sbin/init", 0755);
        vfs.write(vfs.lookup("/sbin/init"), "\177ELF".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), false);
        this.initTask = newTask("init", false);
        this.init = syscalls.create(initTask, null, List.of("/sbin/init"), "/sbin/init");
        Task kthreadd = newTask("kthreadd", true);
        kthreadd.setTaskStruct(objects.createTask(new TaskSpec(kthreadd.pid, "kthreadd").kernelThread()));
        this.bodies = new KernelBodies(this, objects, syscalls);
        this.printkEntry = text.coreFunction(o.profile().symbol(o.arch(), "_printk"));
        if (scheduler != null) {
            KFunction irq = text.coreFunction(o.arch() == Arch.X86_64 ? "asm_sysvec_apic_timer_interrupt" : "el1h_64_irq");
            for (Cpu c : cpus) {
                c.schedule(scheduler, () -> c.call(irq));
            }
        }
        this.watchdog = new dev.ksim.kernel.diag.SoftLockupWatchdog(cpus);
        KernelViews.mount(vfs, text, kprobes, taint, o.profile().release, diag, watchdog);
        dev.ksim.kernel.elf.StockPrograms.install(vfs);
        this.tracing = dev.ksim.kernel.trace.Tracing.mount(this);
        this.bpfPrintk = new dev.ksim.kernel.bpf.BpfPrintk(log.printk().vsprintf(), (addr, max) -> {
            byte[] b = new byte[max];
            long n = strncpy_from_kernel_nofault(b, addr, max);
            return n <= 0 ? null : new String(b, 0, (int) n - 1, java.nio.charset.StandardCharsets.UTF_8);
        }, new dev.ksim.kernel.bpf.TraceRingOutput(tracing.buffer(), o.profile().bpfTracePrintkUsesTracePrintk()),
                o.profile().bpfTracePrintkUsesTracePrintk(),
                line -> vprintk("\0014%s\n", new Object[] {line}));
        this.userRuntime = new dev.ksim.kernel.elf.UserRuntime(this, tracing.uprobes());
        vfs.mount("/sys/kernel/debug/ksim/disassemble", new dev.ksim.kernel.fs.PseudoFile(0600,
                () -> disassembleTarget == null ? "" : disassemble(disassembleTarget), sym -> {
                    String name = sym.strip();
                    if (text.lookupName(name) == null || text.functionAt(text.lookupName(name).address()) == null) {
                        return -Errno.ENOENT;
                    }
                    disassembleTarget = name;
                    return 0;
                }));
    }

    /** What oops and WARN reports print after {@code Modules linked in:}; set by the module loader. */
    private volatile java.util.function.Supplier<String> modulesLinkedIn = () -> "";

    /**
     * Sets the {@code Modules linked in:} list of oops and WARN reports ({@code print_modules()}).
     *
     * @param list produces the list, each module preceded by a space: {@code " mod(OE) [last unloaded: x(OE)]"}
     */
    public void setModulesLinkedIn(java.util.function.Supplier<String> list) {
        this.modulesLinkedIn = list;
    }

    /** The function {@code /sys/kernel/debug/ksim/disassemble} shows; written by that file. */
    private volatile String disassembleTarget;

    /**
     * Boots a kernel.
     *
     * @param options how
     * @return the running kernel; close it when done
     */
    public static SimKernel boot(BootOptions options) {
        SimKernel k = new SimKernel(options);
        LIVE.add(k);
        k.watchdog.start(() -> !k.closed);
        return k;
    }

    /** @return the newest kernel not yet closed, or null */
    static SimKernel newest() {
        int n = LIVE.size();
        return n == 0 ? null : LIVE.get(n - 1);
    }

    @Override
    public void close() {
        closed = true;
        LIVE.remove(this);
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    // ================================================================ parts

    /** @return the boot options */
    public BootOptions options() {
        return options;
    }

    /** @return the architecture */
    public Arch arch() {
        return options.arch();
    }

    /** @return the kernel version simulated */
    public KernelProfile profile() {
        return options.profile();
    }

    /**
     * @param name a function's name in the current kernel
     * @return this kernel's function of that role (renamed on older profiles)
     * @throws IllegalArgumentException if this kernel has no such function
     */
    public KFunction functionOf(String name) {
        return function(options.profile().symbol(arch(), name));
    }

    /** @return kernel text and kallsyms */
    public KernelText text() {
        return text;
    }

    /** @return the CPUs */
    public List<Cpu> cpus() {
        return cpus;
    }

    /** @param id a CPU number @return that CPU */
    public Cpu cpu(int id) {
        return cpus.get(id);
    }

    /** @return the kprobes subsystem */
    public KprobeEngine kprobes() {
        return kprobes;
    }

    /** @return the taint flags */
    public Taint taint() {
        return taint;
    }

    /** @return the kernel's reports (dump_stack, WARN, BUG, oops) */
    public Diagnostics diagnostics() {
        return diag;
    }

    /** @return the file system, with procfs, sysfs and debugfs mounted */
    public Vfs vfs() {
        return vfs;
    }

    /** @return {@code bpf_trace_printk}: its format checks and the output its lines go to */
    public dev.ksim.kernel.bpf.BpfPrintk bpfPrintk() {
        return bpfPrintk;
    }

    /** @return the tracing subsystem (tracefs, the trace buffer, uprobes) */
    public dev.ksim.kernel.trace.Tracing tracing() {
        return tracing;
    }

    /** @return the runner of simulated user programs */
    public dev.ksim.kernel.elf.UserRuntime userRuntime() {
        return userRuntime;
    }

    /** @return the kernel log */
    public KernelLog log() {
        return log;
    }

    /** @return RCU */
    public Rcu rcu() {
        return rcu;
    }

    /**
     * Reads a file as {@code cat} would.
     *
     * @param path an absolute path
     * @return its contents
     * @throws IllegalArgumentException if there is no such file
     */
    public String read(String path) {
        Vfs.Inode node = vfs.lookup(path);
        if (node == null) {
            throw new IllegalArgumentException(path + ": No such file or directory");
        }
        return new String(vfs.read(node), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Writes a file as {@code echo VALUE > PATH} would.
     *
     * @param path an absolute path
     * @param value what to write
     * @return 0 or a negative errno
     */
    public int write(String path, String value) {
        Vfs.Inode node = vfs.lookup(path);
        if (node == null) {
            return -Errno.ENOENT;
        }
        int r = vfs.write(node, value.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
        return r < 0 ? r : 0;
    }

    /**
     * {@code objdump -d} of a function as its text is now (armed probes show their breakpoint).
     *
     * @param symbol a function of the image or of a module
     * @return the disassembly
     * @throws IllegalArgumentException if there is no such function
     */
    public String disassemble(String symbol) {
        return dev.ksim.kernel.text.Disassembler.disassemble(function(symbol), arch());
    }

    /** @return the kernel log as {@code dmesg} prints it */
    public String dmesg() {
        return log.dmesg();
    }

    // ================================================================ tasks and execution

    /**
     * Creates a task (not yet running anything).
     *
     * @param comm its name
     * @param kthread whether it is a kernel thread
     * @return the task
     */
    public Task newTask(String comm, boolean kthread) {
        int pid = allocPid();
        Task t = new Task(arch(), pid, pid, 0, comm, kthread, kernelStackBase(pid));
        mapKernelStack(t);
        return t;
    }

    /** @return the next pid ({@code alloc_pid}) */
    public int allocPid() {
        return nextPid.getAndIncrement();
    }

    /**
     * @param pid a pid
     * @return where that task's kernel stack lives (vmalloc space, 32 KiB apart: stack plus guard)
     */
    public long kernelStackBase(int pid) {
        return arch().stackBase + 0x100000L + (long) pid * 0x8000L;
    }

    /**
     * Maps a task's kernel stack into kernel memory (its saved user registers live at the top).
     *
     * @param t the task
     */
    public void mapKernelStack(Task t) {
        long base = t.stack().base;
        if (memory.regionAt(base) == null) {
            memory.map("stack:" + t.pid, base, KernelStack.THREAD_SIZE, Prot.RW);
        }
    }

    /**
     * Maps the image's data section ({@code _sdata} to {@code _end}) with the values of the variables readers
     * fetch by symbol ({@code @linux_banner}, {@code @nr_cpu_ids}); the others read as zero.
     */
    private void mapKernelData(String release, int nrCpus) {
        long start = text.lookupName("_sdata").address();
        memory.map(".data", start, text.lookupName("_end").address() - start, Prot.RW);
        Symbol banner = text.lookupName("linux_banner");
        byte[] b = KernelLog.linuxBanner(release).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        memory.writeBytes(banner.address(), b, 0, Math.min(b.length, (int) banner.size() - 1));
        memory.write32(text.lookupName("nr_cpu_ids").address(), nrCpus);
    }

    /** @param cpu a CPU number @return its idle task ({@code swapper/N}, pid 0) */
    public Task idleTask(int cpu) {
        return idle[cpu];
    }

    /** @return kernel memory */
    public KernelMemory memory() {
        return memory;
    }

    /** @return the structure layouts (the kernel's BTF) */
    public StructLayouts layouts() {
        return layouts;
    }

    /** @return the kernel-object factory */
    public KernelObjects objects() {
        return objects;
    }

    /** @return the process table and the user/kernel boundary */
    public Syscalls syscalls() {
        return syscalls;
    }

    /** @return the deterministic scheduler, or null when CPUs run truly in parallel */
    public dev.ksim.kernel.cpu.DeterministicScheduler scheduler() {
        return scheduler;
    }

    /**
     * A piece of work for one process, run by {@link #runConcurrently}.
     *
     * @param process the process (it runs on its CPU)
     * @param body what it does: its system calls
     */
    public record Job(Process process, java.util.function.Consumer<Process> body) {
    }

    /**
     * Runs jobs at the same time, each on its own thread on its process's CPU: truly in parallel, or, when
     * the kernel boots deterministic, interleaved by the seeded scheduler. Returns when all finished.
     *
     * @param jobs the jobs; in deterministic mode each on a different CPU
     * @throws IllegalArgumentException if two jobs share a CPU in deterministic mode
     * @throws RuntimeException the first exception a job threw
     */
    public void runConcurrently(List<Job> jobs) {
        List<Integer> ids = new ArrayList<>();
        for (Job j : jobs) {
            ids.add(j.process().cpu());
        }
        if (scheduler != null) {
            if (new java.util.HashSet<>(ids).size() != ids.size()) {
                throw new IllegalArgumentException("deterministic mode runs one job per CPU; CPUs " + ids);
            }
            scheduler.expect(ids);
        }
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (Job j : jobs) {
            int cpu = j.process().cpu();
            Thread t = new Thread(() -> {
                if (scheduler != null) {
                    scheduler.begin(cpu);
                }
                try {
                    j.body().accept(j.process());
                } catch (RuntimeException | Error e) {
                    failures.add(e);
                } finally {
                    if (scheduler != null) {
                        scheduler.end(cpu);
                    }
                }
            }, "cpu" + cpu + "-" + j.process());
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while jobs ran", e);
            }
        }
        if (!failures.isEmpty()) {
            Throwable f = failures.get(0);
            throw f instanceof RuntimeException r ? r : new IllegalStateException(f);
        }
    }

    /** @return init, pid 1 */
    public Process init() {
        return init;
    }

    /**
     * Starts a program as init's child: init forks (kernel_clone runs) and the child execs it.
     *
     * @param path the program, e.g. {@code /bin/sh}
     * @param args its arguments after argv[0]
     * @return the running process
     * @throws IllegalStateException if the fork or exec fails (with the errno)
     */
    public Process spawn(String path, String... args) {
        long pid = init.fork();
        if (pid < 0) {
            throw new IllegalStateException("fork: " + Errno.strerror((int) pid));
        }
        Process child = syscalls.byPid((int) pid);
        List<String> argv = new ArrayList<>();
        argv.add(path.substring(path.lastIndexOf('/') + 1));
        argv.addAll(List.of(args));
        long r = child.execve(path, argv, List.of("PATH=/usr/bin:/bin", "HOME=/root"));
        if (r < 0) {
            throw new IllegalStateException(path + ": " + Errno.strerror((int) r));
        }
        return child;
    }

    /** @return the init task (pid 1), which runs code given to {@link #run} */
    public Task initTask() {
        return initTask;
    }

    /**
     * Runs code in the kernel on a CPU, as a task, with this kernel bound for the SDK: module code and
     * kernel functions called from it behave as in process context. An oops kills only this call.
     *
     * @param cpu the CPU number
     * @param task the task to run as
     * @param body the code
     * @param <T> its result type
     * @return its result
     * @throws TaskKilled if the task was killed by an oops
     * @throws dev.ksim.kernel.cpu.KernelPanic if this kernel panicked, now or before: it stays stopped
     */
    public <T> T onCpu(int cpu, Task task, Callable<T> body) {
        String panic = diag.panicked();
        if (panic != null) {
            throw new dev.ksim.kernel.cpu.KernelPanic(panic);
        }
        Cpu c = cpus.get(cpu);
        boolean nested = c.isOwnedByCurrentThread();
        Task previous = nested ? c.task() : null;
        c.acquire(task);
        try (KernelBinding.Scope ignored = KernelBinding.bind(this)) {
            return body.call();
        } catch (TaskKilled e) {
            c.setPreemptCount(0);
            c.irqsDisabled = false;
            throw e;
        } catch (Cpu.SoftLockup e) {
            c.setPreemptCount(0);
            c.irqsDisabled = false;
            throw diag.softLockup(c, e.seconds);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (previous != null) {
                c.switchTo(previous);
            }
            c.release();
        }
    }

    /**
     * Runs code on CPU 0 as the init task (see {@link #onCpu}).
     *
     * @param body the code
     * @param <T> its result type
     * @return its result
     */
    public <T> T run(Callable<T> body) {
        Cpu current = Cpu.current();
        if (current != null && current.isOwnedByCurrentThread()) {
            try {
                return body.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return onCpu(0, initTask, body);
    }

    /**
     * Runs code on CPU 0 as the init task.
     *
     * @param body the code
     */
    public void run(Runnable body) {
        run(() -> {
            body.run();
            return null;
        });
    }

    /**
     * Calls a kernel function by name, as kernel code on CPU 0 would.
     *
     * @param name the function
     * @param args its arguments (up to six)
     * @return its return value
     * @throws IllegalArgumentException if there is no such function
     */
    public long call(String name, long... args) {
        KFunction f = function(name);
        return run(() -> Cpu.current().callArgs(f, args));
    }

    /**
     * @param name a function of the image or of a loaded module ({@code module:function} also works)
     * @return it
     * @throws IllegalArgumentException if there is none
     */
    public KFunction function(String name) {
        var sym = text.lookupName(name);
        KFunction f = sym == null ? null : text.functionAt(sym.address());
        if (f == null || !f.name().equals(sym.name())) {
            throw new IllegalArgumentException("no function " + name + " in this kernel");
        }
        return f;
    }

    // ================================================================ KernelServices

    @Override
    public int register_kprobe(Kprobe p) {
        return kprobes.register_kprobe(p);
    }

    @Override
    public void unregister_kprobe(Kprobe p) {
        kprobes.unregister_kprobe(p);
    }

    @Override
    public int register_kprobes(Kprobe[] kps, int num) {
        return kprobes.register_kprobes(kps, num);
    }

    @Override
    public void unregister_kprobes(Kprobe[] kps, int num) {
        kprobes.unregister_kprobes(kps, num);
    }

    @Override
    public int enable_kprobe(Kprobe p) {
        return kprobes.enable_kprobe(p);
    }

    @Override
    public int disable_kprobe(Kprobe p) {
        return kprobes.disable_kprobe(p);
    }

    @Override
    public int register_kretprobe(Kretprobe rp) {
        return kprobes.register_kretprobe(rp);
    }

    @Override
    public void unregister_kretprobe(Kretprobe rp) {
        kprobes.unregister_kretprobe(rp);
    }

    @Override
    public int register_kretprobes(Kretprobe[] rps, int num) {
        return kprobes.register_kretprobes(rps, num);
    }

    @Override
    public void unregister_kretprobes(Kretprobe[] rps, int num) {
        kprobes.unregister_kretprobes(rps, num);
    }

    /** Jprobes work on the 4.14 profile; later kernels disabled them (4.15) and return -ENOSYS. */
    @Override
    public int register_jprobe(Jprobe jp) {
        return kprobes.register_jprobe(jp);
    }

    @Override
    public void unregister_jprobe(Jprobe jp) {
        kprobes.unregister_jprobes(new Jprobe[] {jp}, 1);
    }

    @Override
    public int register_jprobes(Jprobe[] jps, int num) {
        return kprobes.register_jprobes(jps, num);
    }

    @Override
    public void unregister_jprobes(Jprobe[] jps, int num) {
        kprobes.unregister_jprobes(jps, num);
    }

    @Override
    public void jprobe_return() {
        kprobes.jprobe_return();
    }

    @Override
    public Kprobe kprobe_running() {
        return kprobes.kprobe_running();
    }

    /** printk from code on a CPU runs through {@code _printk → … → vprintk_store}, so it can be probed. */
    @Override
    public int vprintk(String fmt, Object[] args) {
        Cpu c = Cpu.current();
        if (c == null || !c.isOwnedByCurrentThread() || printkEntry == null) {
            return log.vprintk(fmt, args);
        }
        return log.vprintkVia(c, printkEntry, fmt, args);
    }

    /** {@code _printk}; set once at boot, before any CPU runs. */
    private volatile KFunction printkEntry;

    @Override
    public long read(long addr, int size) {
        return memory.read(addr, size);
    }

    @Override
    public void write(long addr, int size, long value) {
        memory.write(addr, size, value);
    }

    @Override
    public int copy_from_kernel_nofault(byte[] dst, long src, int size) {
        if (dst == null || size < 0 || size > dst.length) {
            return -Errno.EINVAL;
        }
        int r = memory.copyFromKernelNofault(dst, src, size);
        Cpu c = Cpu.current();
        if (r == 0 && c != null && c.task() != null) {
            c.task().stack().overlayFrameWords(dst, src, size, arch() == Arch.X86_64);
        }
        return r;
    }

    @Override
    public long strncpy_from_kernel_nofault(byte[] dst, long src, int count) {
        if (dst == null || count <= 0 || count > dst.length) {
            return -Errno.EINVAL;
        }
        return memory.strncpyFromKernelNofault(dst, src, count);
    }

    @Override
    public long offsetof(String struct, String member) {
        return layouts.offsetof(struct, member);
    }

    @Override
    public long current_task() {
        Cpu c = Cpu.current();
        return c == null || c.task() == null ? 0 : c.task().taskStruct();
    }

    @Override
    public int stack_trace_save(long[] store, int size, int skipnr) {
        Cpu c = Cpu.current();
        return store == null || c == null ? 0 : copyTrace(diag.stackTrace(c), store, size, skipnr);
    }

    @Override
    public int stack_trace_save_regs(dev.ksim.sdk.PtRegs regs, long[] store, int size, int skipnr) {
        Cpu c = Cpu.current();
        if (regs == null || store == null || c == null) {
            return 0;
        }
        List<Long> trace = new ArrayList<>();
        long ip = regs.instructionPointer();
        trace.add(ip);
        KFunction at = text.functionAt(ip);
        var s = c.stack();
        int d = s.depth() - 1;
        while (d >= 0 && s.function(d) != at) {
            d--;
        }
        for (; d >= 0; d--) {
            long r = diag.returnAddress(c, d);
            if (r != 0) {
                trace.add(r);
            }
        }
        return copyTrace(trace, store, size, skipnr);
    }

    private static int copyTrace(List<Long> trace, long[] store, int size, int skipnr) {
        int n = 0;
        for (int i = Math.max(0, skipnr); i < trace.size() && n < Math.min(size, store.length); i++) {
            store[n++] = trace.get(i);
        }
        return n;
    }

    @Override
    public long return_address(int level) {
        Cpu c = Cpu.current();
        if (c == null || level < 0) {
            return 0;
        }
        int d = c.stack().depth() - 1 - level;
        return d < 0 ? 0 : c.stack().returnAddress(d);
    }

    @Override
    public boolean preemptible() {
        Cpu c = Cpu.current();
        return c == null || (c.preemptCount() == 0 && !c.irqsDisabled);
    }

    @Override
    public long ktime_get_ns() {
        return scheduler != null ? scheduler.nanos() : log.uptimeNanos();
    }

    /** @return {@code jiffies} */
    @Override
    public long jiffies() {
        return dev.ksim.kernel.diag.Jiffies.at(ktime_get_ns());
    }

    @Override
    public int preempt_count() {
        Cpu c = Cpu.current();
        return c == null ? 0 : c.preemptCount();
    }

    @Override
    public boolean irqs_disabled() {
        Cpu c = Cpu.current();
        return c != null && c.irqsDisabled;
    }

    @Override
    public int smp_processor_id() {
        Cpu c = Cpu.current();
        return c == null ? 0 : c.id;
    }

    @Override
    public void __might_sleep(String file, int line) {
        Cpu c = Cpu.current();
        if (c != null) {
            bodies.mightSleep(c, new String[] {file, Integer.toString(line)});
        }
    }

    @Override
    public void msleep(int msecs) {
        Cpu c = Cpu.current();
        if (c != null) {
            c.call(functionOf("msleep"), Integer.toUnsignedLong(msecs));
        } else {
            sleepOffCpu(Integer.toUnsignedLong(msecs) * 1_000_000L);
        }
    }

    @Override
    public void usleep_range(long min, long max) {
        Cpu c = Cpu.current();
        if (c != null) {
            c.call(functionOf("usleep_range_state"), min, max, 2 /* TASK_UNINTERRUPTIBLE */);
        } else {
            sleepOffCpu(min * 1_000L);
        }
    }

    private void sleepOffCpu(long nanos) {
        if (scheduler != null) {
            scheduler.advance(nanos);
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void schedule() {
        Cpu c = Cpu.current();
        if (c != null) {
            c.call(functionOf("schedule"));
        } else {
            Thread.yield();
        }
    }

    @Override
    public int __cond_resched() {
        Cpu c = Cpu.current();
        return c == null ? 0 : (int) c.call(functionOf("__cond_resched"));
    }

    @Override
    public void dump_stack() {
        diag.dumpStack(Cpu.current());
    }

    @Override
    public long __kmalloc(long size, int flags) {
        Cpu c = Cpu.current();
        if (c != null) {
            return c.call(functionOf("__kmalloc"), size, Integer.toUnsignedLong(flags));
        }
        return (flags & 0x100) != 0 ? objects.slab().kzalloc(size) : objects.slab().kmalloc(size);
    }

    @Override
    public void kfree(long addr) {
        Cpu c = Cpu.current();
        if (c != null) {
            c.call(functionOf("kfree"), addr);
        } else {
            objects.slab().kfree(addr);
        }
    }

    @Override
    public void preempt_disable() {
        Cpu c = Cpu.current();
        if (c != null) {
            c.addPreemptCount(1);
        }
    }

    @Override
    public void preempt_enable() {
        Cpu c = Cpu.current();
        if (c != null && (c.preemptCount() & 0xff) != 0) {
            c.addPreemptCount(-1);
        }
    }

    /** {@code X86_EFLAGS_IF} / arm64 {@code PSR_I_BIT}: the interrupt bit of saved flags. */
    private long irqFlagBit() {
        return arch() == Arch.X86_64 ? 0x200 : 0x80;
    }

    @Override
    public long local_irq_save() {
        Cpu c = Cpu.current();
        if (c == null) {
            return 0;
        }
        boolean was = c.irqsDisabled;
        c.irqsDisabled = true;
        if (arch() == Arch.X86_64) {
            return was ? Cpu.X86_KERNEL_FLAGS & ~irqFlagBit() : Cpu.X86_KERNEL_FLAGS;
        }
        return was ? irqFlagBit() : 0;
    }

    @Override
    public void local_irq_restore(long flags) {
        Cpu c = Cpu.current();
        if (c != null) {
            boolean bitSet = (flags & irqFlagBit()) != 0;
            c.irqsDisabled = arch() == Arch.X86_64 ? !bitSet : bitSet;
        }
    }

    /**
     * The current process's memory after {@code might_fault()}, or null for a kernel thread or a thread
     * without a CPU (then nothing can be copied).
     */
    private dev.ksim.kernel.mm.UserMemory userMemoryAfterMightFault() {
        Cpu c = Cpu.current();
        if (c == null || c.task() == null) {
            return null;
        }
        bodies.mightFault(c);
        dev.ksim.kernel.proc.Process p = syscalls.of(c.task());
        return p == null ? null : p.userMemory();
    }

    @Override
    public long copy_from_user(byte[] dst, long src, int n) {
        dev.ksim.kernel.mm.UserMemory um = userMemoryAfterMightFault();
        if (um == null) {
            java.util.Arrays.fill(dst, 0, n, (byte) 0);
            return n;
        }
        return um.copyFromUser(dst, src, n);
    }

    @Override
    public long copy_to_user(long dst, byte[] src, int n) {
        dev.ksim.kernel.mm.UserMemory um = userMemoryAfterMightFault();
        return um == null ? n : um.copyToUser(dst, src, n);
    }

    /** The current process's memory without {@code might_fault()}, or null in a kernel thread. */
    private dev.ksim.kernel.mm.UserMemory userMemoryNofault() {
        Cpu c = Cpu.current();
        if (c == null || c.task() == null) {
            return null;
        }
        dev.ksim.kernel.proc.Process p = syscalls.of(c.task());
        return p == null ? null : p.userMemory();
    }

    @Override
    public long copy_from_user_nofault(byte[] dst, long src, int n) {
        dev.ksim.kernel.mm.UserMemory um = userMemoryNofault();
        return um != null && um.copyFromUser(dst, src, n) == 0 ? 0 : -Errno.EFAULT;
    }

    @Override
    public long strncpy_from_user_nofault(byte[] dst, long src, int count) {
        if (count <= 0) {
            return 0;
        }
        dev.ksim.kernel.mm.UserMemory um = userMemoryNofault();
        if (um == null) {
            return -Errno.EFAULT;
        }
        // mm/maccess.c: strncpy_from_user's length without the NUL becomes one with it; truncation is count.
        long ret = um.strncpyFromUser(dst, src, count);
        if (ret < 0) {
            return ret;
        }
        if (ret >= count) {
            dst[count - 1] = 0;
            return count;
        }
        return ret + 1;
    }

    @Override
    public dev.ksim.sdk.ProcDirEntry proc_create_single_data(String name, int mode, dev.ksim.sdk.ProcDirEntry parent,
            dev.ksim.sdk.ProcShow show, Object data) {
        dev.ksim.sdk.ProcDirEntry de = new dev.ksim.sdk.ProcDirEntry(name, parent);
        String path = de.path();
        // proc_create_single_data: no permission bits means S_IRUGO.
        int perm = (mode & 07777) == 0 ? 0444 : mode & 07777;
        synchronized (vfs) {
            if (vfs.lookup(path) == null) {
                vfs.mount(path, dev.ksim.kernel.fs.PseudoFile.readOnly(perm, () -> {
                    dev.ksim.sdk.SeqFile m = new dev.ksim.sdk.SeqFile(log.printk().vsprintf()::sprintf);
                    show.show(m, data);
                    return m.contents();
                }));
                return de;
            }
        }
        // fs/proc/generic.c proc_register(): WARN(1, "proc_dir_entry '%s/%s' already registered\n", …)
        String dir = parent == null ? "/proc" : parent.name;
        log.vprintk("\0014proc_dir_entry '%s/%s' already registered\n", new Object[] {dir, name});
        diag.warn(Cpu.current(), "fs/proc/generic.c", 371, "proc_register");
        return null;
    }

    @Override
    public void proc_remove(dev.ksim.sdk.ProcDirEntry de) {
        vfs.unmount(de.path());
    }

    @Override
    public int num_possible_cpus() {
        return cpus.size();
    }

    @Override
    public long get_random_u64() {
        synchronized (random) {
            return random.nextLong();
        }
    }

    @Override
    public int bpf_trace_printk(String fmt, Object[] args) {
        return bpfPrintk.print(fmt, args);
    }

    @Override
    public long bpf_get_current_pid_tgid() {
        Task t = currentTask();
        return t == null ? -Errno.EINVAL : ((long) t.tgid << 32) | (t.pid & 0xffffffffL);
    }

    @Override
    public long bpf_get_current_uid_gid() {
        Task t = currentTask();
        if (t == null) {
            return -Errno.EINVAL;
        }
        try (KernelBinding.Scope s = KernelBinding.bind(this)) {
            dev.ksim.sdk.linux.Cred cred = t.view().cred();
            return ((long) cred.gid() << 32) | (cred.uid() & 0xffffffffL);
        }
    }

    @Override
    public int bpf_get_current_comm(byte[] buf, int size) {
        if (buf == null || size < 0 || size > buf.length) {
            return -Errno.EINVAL;
        }
        Task t = currentTask();
        if (t == null) {
            java.util.Arrays.fill(buf, 0, size, (byte) 0);
            return -Errno.EINVAL;
        }
        java.util.Arrays.fill(buf, 0, size, (byte) 0);
        byte[] comm = t.comm().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        System.arraycopy(comm, 0, buf, 0, Math.max(0, Math.min(comm.length, size - 1)));
        return 0;
    }

    private static Task currentTask() {
        Cpu c = Cpu.current();
        return c == null ? null : c.task();
    }

    /** The engine's view of this kernel. */
    private final class Host implements KprobeHost {
        @Override
        public KernelText text() {
            return text;
        }

        @Override
        public List<Cpu> cpus() {
            return cpus;
        }

        @Override
        public Rcu rcu() {
            return rcu;
        }

        @Override
        public KernelProfile profile() {
            return options.profile();
        }

        @Override
        public void printk(String fmt, Object... args) {
            log.vprintk(fmt, args);
        }

        @Override
        public void warn(String file, int line, String function) {
            diag.warn(Cpu.current(), file, line, function);
        }

        @Override
        public RuntimeException bug(String file, int line) {
            return diag.bug(Cpu.current(), file, line);
        }

        @Override
        public RuntimeException oops(Cpu cpu, Throwable cause, long ip) {
            return diag.oops(cpu, cause, ip);
        }
    }
}
