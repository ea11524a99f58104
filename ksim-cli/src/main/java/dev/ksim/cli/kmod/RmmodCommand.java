package dev.ksim.cli.kmod;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.cli.work.Programs;
import dev.ksim.kernel.proc.Process;
import dev.ksim.loader.image.ModuleNames;
import dev.ksim.sdk.Errno;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rmmod [-f] NAME…}: kmod's rmmod. */
@Command(name = "rmmod", description = "Remove modules from the kernel.",
        footer = {"", "Exit status: 0 if removed, 1 if any removal failed, 2 for a usage error."})
public final class RmmodCommand implements Callable<Integer> {
    @Option(names = {"-f", "--force"}, description = "force the unload (module without exit, or in use); taints R")
    boolean force;

    @Option(names = {"-s", "--syslog", "-v", "--verbose", "-w", "--wait"}, hidden = true, description = "ignored")
    boolean ignored;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Parameters(arity = "0..*", paramLabel = "MODULE", description = "module names (or files)")
    List<String> names = new ArrayList<>();

    /** For picocli. */
    public RmmodCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        if (names.isEmpty()) {
            Kmod.error(inv.err(), "rmmod", "missing module name.");
            return 2;
        }
        List<String> argv = new ArrayList<>();
        argv.add("rmmod");
        if (force) {
            argv.add("-f");
        }
        argv.addAll(names);
        return Programs.run("/sbin/rmmod", argv, p -> remove(inv, p));
    }

    private int remove(Invocation inv, Process p) {
        int failures = 0;
        for (String arg : names) {
            boolean isFile = Files.isRegularFile(inv.session().env().cwd().resolve(arg));
            String name = isFile ? ModuleNames.fromFileName(arg) : ModuleNames.normalize(arg);
            if (!force && !notInUse(inv, p, name)) {
                failures++;
                continue;
            }
            int err = inv.session().loader().rmmod(name, force, p.task);
            if (err < 0) {
                Kmod.error(inv.err(), "rmmod", "could not remove module " + arg + ": " + Errno.strerror(err));
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /** kmod's {@code check_module_inuse}. */
    private static boolean notInUse(Invocation inv, Process p, String name) {
        if (ModuleStatus.initstate(p, name) == null) {
            Kmod.error(inv.err(), "rmmod", "Module " + name + " is not currently loaded");
            return false;
        }
        List<String> holders = ModuleStatus.holders(p, name);
        if (!holders.isEmpty()) {
            inv.err().println("rmmod: ERROR: Module " + name + " is in use by: " + String.join(" ", holders));
            return false;
        }
        if (ModuleStatus.refcnt(p, name) != 0) {
            Kmod.error(inv.err(), "rmmod", "Module " + name + " is in use");
            return false;
        }
        return true;
    }
}
