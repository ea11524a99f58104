package dev.ksim.cli;

import dev.ksim.cli.daemon.Client;
import dev.ksim.cli.shell.KernelSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ksim boot}: starts a kernel in a background process; {@code ksim insmod …}, {@code ksim dmesg -w}
 * and the other commands then act on it from any terminal, until {@code ksim halt}.
 */
@Command(mixinStandardHelpOptions = true, name = "boot", description = {"Boot a kernel in the background.",
    "Then 'ksim insmod ...', 'ksim dmesg -w', 'ksim lsmod' ... act on it from any terminal; 'ksim halt' stops it."})
public final class BootCommand implements Callable<Integer> {
    @ParentCommand
    KsimCommand root;

    @Mixin
    BootOptionsMixin boot;

    /** For picocli. */
    public BootCommand() {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        KernelSpec spec = boot.toSpec();
        KsimEnv env = root.env();
        long running = Client.running(env);
        if (running >= 0) {
            root.err().println("ksim: a kernel is already running (pid " + running + "); stop it with: ksim halt");
            return 1;
        }
        Files.createDirectories(env.stateDir());
        Path log = env.stateDir().resolve("kernel.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        for (String p : List.of("ksim.home", "ksim.slf4j")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("__daemon");
        cmd.addAll(spec.toArgs());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put(KsimEnv.STATE_DIR_VAR, env.stateDir().toString());
        Process p = pb.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Client.running(env) >= 0) {
                root.out().println("ksim: booted Linux " + spec.release() + " " + spec.arch() + " with "
                        + spec.cpus() + " CPUs in the background (pid " + p.pid() + "); stop it with: ksim halt");
                return 0;
            }
            if (!p.isAlive()) {
                root.err().println("ksim: the kernel did not start:");
                root.err().print(Files.exists(log) ? Files.readString(log) : "");
                return 1;
            }
            Thread.sleep(20);
        }
        p.destroy();
        root.err().println("ksim: the kernel did not start within 60 s; see " + log);
        return 1;
    }
}
