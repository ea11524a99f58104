package dev.ksim.cli.shell;

import dev.ksim.cli.KsimEnv;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.proc.Process;
import dev.ksim.loader.ModuleLoader;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * One user's shell on a kernel — a script run, an interactive shell, or one connection to a booted
 * kernel. It owns a simulated {@code /bin/sh} process (forked from init when the session starts) that
 * forks every command, background jobs, and where
 * output goes.
 */
public final class Session implements AutoCloseable {
    private final KernelHost host;
    private final KsimEnv env;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Process shell;
    /** Guarded by itself. */
    private final List<Thread> jobs = new ArrayList<>();
    private final ThreadLocal<CommandLine> commands = ThreadLocal.withInitial(Commands::commandLine);

    /**
     * Starts a session: init forks and execs {@code /bin/sh}.
     *
     * @param host the kernel
     * @param env the paths (its working directory is where host paths are relative to)
     * @param out standard output
     * @param err standard error
     */
    public Session(KernelHost host, KsimEnv env, PrintWriter out, PrintWriter err) {
        this.host = host;
        this.env = env;
        this.out = out;
        this.err = err;
        this.shell = host.kernel().spawn("/bin/sh");
    }

    /** @return the kernel host */
    public KernelHost host() {
        return host;
    }

    /** @return the kernel */
    public SimKernel kernel() {
        return host.kernel();
    }

    /** @return the module loader */
    public ModuleLoader loader() {
        return host.loader();
    }

    /** @return the paths, with this session's working directory */
    public KsimEnv env() {
        return env;
    }

    /** @return the session's shell process */
    public Process shell() {
        return shell;
    }

    /** @return standard output */
    public PrintWriter out() {
        return out;
    }

    /** @return standard error */
    public PrintWriter err() {
        return err;
    }

    /** @return the commands, parsed by a command line owned by the calling thread */
    CommandLine commands() {
        return commands.get();
    }

    /** @param t a started background job */
    void addJob(Thread t) {
        synchronized (jobs) {
            jobs.add(t);
        }
    }

    /**
     * {@code wait}: waits for every background job.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void waitJobs() throws InterruptedException {
        while (true) {
            Thread t;
            synchronized (jobs) {
                if (jobs.isEmpty()) {
                    return;
                }
                t = jobs.remove(0);
            }
            t.join();
        }
    }

    /** Ends the session's shell process (init reaps it). Background jobs are interrupted. */
    @Override
    public void close() {
        synchronized (jobs) {
            for (Thread t : jobs) {
                t.interrupt();
            }
        }
        if (host.kernel().diagnostics().panicked() != null) {
            return; // a panicked kernel runs nothing more, not even the shell's exit
        }
        if (!shell.hasExited()) {
            shell.exit(0);
        }
        host.kernel().init().wait4(shell.pid());
    }
}
