package dev.ksim.test;

import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.kernel.printk.LogRecord;
import dev.ksim.kernel.proc.Process;
import dev.ksim.loader.LoadedModule;
import dev.ksim.loader.LoaderOptions;
import dev.ksim.loader.ModuleLoader;
import dev.ksim.loader.image.CompileException;
import dev.ksim.loader.image.InvalidModuleException;
import dev.ksim.loader.image.ModuleFiles;
import dev.ksim.loader.image.ModuleImage;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.KernelModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A booted kernel in a test: load modules as {@code ./ksim insmod} does, drive the kernel with processes and
 * system calls, and look at what it reports. Injected by {@link KsimTest}; {@link #boot} makes one by hand.
 *
 * <p>Module loading goes through the kernel's module loader, so licence checks, taints, parameters and
 * {@code /sys/module} behave as on the command line; {@link #start} is the lighter way that runs a module
 * object's {@code init} directly.
 */
public final class TestKernel implements AutoCloseable {
    /** The programs' environment, as the shell passes it. */
    private static final List<String> ENV = List.of("PATH=/usr/bin:/bin:/usr/sbin:/sbin", "HOME=/root");

    private final SimKernel kernel;
    /** The loader, attached on first use; guarded by this. */
    private ModuleLoader loader;
    /** The shell the workload methods fork from, spawned on first use; guarded by this. */
    private Process shell;
    /** Sequence number of the first record {@link #dmesg()} shows; guarded by this. */
    private long dmesgFrom;

    TestKernel(SimKernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Boots a kernel outside the extension (close it when done).
     *
     * @param options how to boot
     * @return the kernel
     */
    public static TestKernel boot(dev.ksim.kernel.BootOptions options) {
        return new TestKernel(SimKernel.boot(options));
    }

    /** @return the simulated kernel, for what this class does not cover */
    public SimKernel kernel() {
        return kernel;
    }

    /** @return the kernel's module loader (the kernel log is not mirrored to SLF4J) */
    public synchronized ModuleLoader loader() {
        if (loader == null) {
            loader = ModuleLoader.attach(kernel, LoaderOptions.defaults().withMirrorToSlf4j(false));
        }
        return loader;
    }

    // ================================================================ modules

    /**
     * Loads a module class of the test's class path, as {@code insmod} loads a jar (module name: the class's
     * simple name in snake case), and fails the test if the load fails.
     *
     * @param module the module class
     * @param params parameters, {@code name=value} each
     * @return the loaded module
     * @throws AssertionError with kmod's message and the kernel log if the load failed
     */
    public TestModule insmod(Class<? extends KernelModule> module, String... params) {
        return expectLoaded(imageOf(module), params);
    }

    /**
     * Loads a module file ({@code .jar} or {@code .java}) and fails the test if the load fails.
     *
     * @param file the module file
     * @param params parameters
     * @return the loaded module
     * @throws AssertionError if the load failed
     */
    public TestModule insmod(Path file, String... params) {
        return expectLoaded(imageOf(file), params);
    }

    /**
     * Loads a module class and returns the result, for tests of failing loads.
     *
     * @param module the module class
     * @param params parameters
     * @return 0 or the negative errno of {@code finit_module}
     */
    public int tryInsmod(Class<? extends KernelModule> module, String... params) {
        return loader().insmod(imageOf(module), String.join(" ", params));
    }

    /**
     * Loads a module file and returns the result.
     *
     * @param file the module file
     * @param params parameters
     * @return 0 or the negative errno
     */
    public int tryInsmod(Path file, String... params) {
        return loader().insmod(imageOf(file), String.join(" ", params));
    }

    /**
     * {@code delete_module} without force, as {@code rmmod NAME} does.
     *
     * @param name the module's name
     * @return 0 or the negative errno
     */
    public int rmmod(String name) {
        return loader().rmmod(name.replace('-', '_'), false);
    }

    /**
     * @param name a module's name
     * @return the loaded module
     * @throws AssertionError if no module of that name is loaded
     */
    public TestModule module(String name) {
        LoadedModule m = loader().find(name.replace('-', '_'));
        if (m == null) {
            throw new AssertionError("Module " + name + " is not currently loaded; lsmod:\n" + read("/proc/modules"));
        }
        return new TestModule(this, m);
    }

    /**
     * Runs a module object's {@code init} on CPU 0 as init, without the loader: no licence check, no
     * weaving, no {@code /sys/module}. The module's code is the test's own class, so its fields stay
     * readable.
     *
     * @param module the module
     * @return what init returned
     */
    public int start(KernelModule module) {
        return kernel.run(module::init);
    }

    /**
     * Runs a module object's {@code exit} on CPU 0.
     *
     * @param module the module
     */
    public void stop(KernelModule module) {
        kernel.run(module::exit);
    }

    private TestModule expectLoaded(ModuleImage image, String... params) {
        int r;
        try {
            r = loader().insmod(image, String.join(" ", params));
        } catch (TaskKilled e) {
            throw new AssertionError("insmod " + image.name() + ": Segmentation fault (init oopsed)\n" + dmesgText(), e);
        }
        if (r != 0) {
            throw new AssertionError("insmod: ERROR: could not insert module " + image.name() + ": "
                    + Errno.strerror(-r) + " (" + Errno.name(-r) + ")\n" + dmesgText());
        }
        return module(image.name());
    }

    private static ModuleImage imageOf(Class<? extends KernelModule> module) {
        try {
            return ModuleFiles.ofClass(module);
        } catch (InvalidModuleException e) {
            throw new IllegalArgumentException(String.join("\n", e.kernelLog), e);
        }
    }

    private static ModuleImage imageOf(Path file) {
        try {
            return ModuleFiles.read(file, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("insmod: ERROR: could not load module " + file, e);
        } catch (InvalidModuleException e) {
            throw new IllegalArgumentException(String.join("\n", e.kernelLog), e);
        } catch (CompileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    // ================================================================ workloads

    /** @return a {@code /bin/sh} process, init's child, that the workload methods fork from */
    public synchronized Process shell() {
        if (shell == null || shell.hasExited()) {
            shell = kernel.spawn("/bin/sh");
        }
        return shell;
    }

    /**
     * Starts a program as init's child (fork, then execve).
     *
     * @param path the program
     * @param args its arguments after argv[0]
     * @return the running process
     */
    public Process spawn(String path, String... args) {
        return kernel.spawn(path, args);
    }

    /**
     * Runs a program as the shell runs it: the shell forks, the child execs the program, does what
     * {@code body} does, exits, and the shell reaps it.
     *
     * @param body the program's work as the child process (may be a no-op)
     * @param path the program
     * @param args its arguments after argv[0]
     * @return the child's pid, or the negative errno of the failed fork or execve
     */
    public long exec(Consumer<Process> body, String path, String... args) {
        Process sh = shell();
        long pid = sh.fork();
        if (pid < 0) {
            return pid;
        }
        Process child = kernel.syscalls().byPid((int) pid);
        List<String> argv = new ArrayList<>();
        argv.add(path.substring(path.lastIndexOf('/') + 1));
        argv.addAll(List.of(args));
        long r;
        try {
            r = child.execve(path, argv, ENV);
            if (r == 0) {
                body.accept(child);
            }
            if (!child.hasExited()) {
                child.exit(r == 0 ? 0 : 127);
            }
        } finally {
            sh.wait4((int) pid);
        }
        return r < 0 ? r : pid;
    }

    /**
     * Runs a program that only starts and exits ({@code /usr/bin/true}, or any other of the image).
     *
     * @param path the program
     * @param args its arguments
     * @return the child's pid, or the negative errno
     */
    public long exec(String path, String... args) {
        return exec(p -> { }, path, args);
    }

    /**
     * Runs {@code procs} processes at the same time, process {@code i} pinned to CPU {@code i}: each is
     * forked from the shell, runs {@code body}, exits, and is reaped. On a deterministic kernel the seeded
     * scheduler interleaves them.
     *
     * @param procs how many (at most the number of CPUs)
     * @param body what each does, given its process
     * @throws IllegalArgumentException if there are more processes than CPUs
     */
    public void concurrently(int procs, Consumer<Process> body) {
        if (procs > kernel.cpus().size()) {
            throw new IllegalArgumentException(procs + " processes need as many CPUs; the kernel has "
                    + kernel.cpus().size());
        }
        Process sh = shell();
        List<SimKernel.Job> jobs = new ArrayList<>();
        for (int i = 0; i < procs; i++) {
            long pid = sh.fork();
            if (pid < 0) {
                throw new IllegalStateException("fork: " + Errno.strerror((int) pid));
            }
            Process p = kernel.syscalls().byPid((int) pid);
            p.sched_setaffinity(i);
            jobs.add(new SimKernel.Job(p, proc -> {
                body.accept(proc);
                if (!proc.hasExited()) {
                    proc.exit(0);
                }
            }));
        }
        try {
            kernel.runConcurrently(jobs);
        } finally {
            for (SimKernel.Job j : jobs) {
                sh.wait4(j.process().pid());
            }
        }
    }

    /**
     * Calls a kernel function by name on CPU 0, as kernel code would (probes on it fire).
     *
     * @param function the function ({@code module:function} for a module's)
     * @param args its arguments (up to six)
     * @return its return value
     */
    public long call(String function, long... args) {
        return kernel.call(function, args);
    }

    // ================================================================ views

    /** @return the kernel log's messages since the last {@link #clearDmesg()}, with assertions */
    public synchronized Dmesg dmesg() {
        List<String> lines = new ArrayList<>();
        for (LogRecord r : kernel.log().buffer().readAll()) {
            if (r.seq() >= dmesgFrom) {
                r.text().lines().forEach(lines::add);
            }
        }
        return new Dmesg(lines);
    }

    /** @return the whole kernel log as {@code dmesg} prints it, timestamps included */
    public String dmesgText() {
        return kernel.dmesg();
    }

    /** Makes {@link #dmesg()} show only what is logged from now on, as {@code dmesg -C} does. */
    public synchronized void clearDmesg() {
        List<LogRecord> all = kernel.log().buffer().readAll();
        dmesgFrom = all.isEmpty() ? dmesgFrom : all.get(all.size() - 1).seq() + 1;
    }

    /**
     * @param path a proc, sys or debugfs file
     * @return its contents, as {@code cat} prints them
     */
    public String read(String path) {
        return kernel.read(path);
    }

    /**
     * @param path a writable proc, sys or debugfs file
     * @param value what to write
     * @return 0 or the negative errno
     */
    public int write(String path, String value) {
        return kernel.write(path, value);
    }

    /** @return every registered probe's state, in {@code /sys/kernel/debug/kprobes/list}'s order */
    public List<ProbeState> probes() {
        return ProbeState.all(kernel);
    }

    /**
     * @param symbol a probed function ({@code kernel_clone}, or {@code kernel_clone+0x4} for an offset)
     * @return the state of the one probe there
     * @throws AssertionError if there is no probe there, or more than one
     */
    public ProbeState probe(String symbol) {
        List<ProbeState> at = probes().stream().filter(p -> p.at(symbol)).toList();
        if (at.size() != 1) {
            throw new AssertionError((at.isEmpty() ? "no probe" : at.size() + " probes") + " on " + symbol
                    + "; /sys/kernel/debug/kprobes/list:\n" + read("/sys/kernel/debug/kprobes/list"));
        }
        return at.get(0);
    }

    /** @return {@code print_tainted()}: {@code "Not tainted"} or {@code "Tainted: G           OE     "} */
    public String taint() {
        return kernel.taint().describe();
    }

    /**
     * @param flag a taint letter ({@code 'O'}, {@code 'E'}, {@code 'W'}, {@code 'P'} …)
     * @return whether the kernel carries it
     */
    public boolean isTainted(char flag) {
        for (var f : dev.ksim.kernel.diag.Taint.Flag.values()) {
            if (f.set == flag) {
                return kernel.taint().test(f);
            }
        }
        throw new IllegalArgumentException("no taint flag " + flag);
    }

    /** Halts the kernel. */
    @Override
    public void close() {
        kernel.close();
    }
}
