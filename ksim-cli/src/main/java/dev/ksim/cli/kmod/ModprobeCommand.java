package dev.ksim.cli.kmod;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.cli.work.Programs;
import dev.ksim.kernel.proc.Process;
import dev.ksim.loader.image.ModuleImage;
import dev.ksim.loader.image.ModuleNames;
import dev.ksim.sdk.Errno;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code modprobe NAME [param=value…]} and {@code modprobe -r NAME…}: kmod's modprobe, finding modules by
 * name on the module path (the built sample modules, {@code $KSIM_MODULE_PATH}, {@code -d DIR}).
 */
@Command(name = "modprobe", description = "Add or remove modules by name, found on the module path.")
public final class ModprobeCommand implements Callable<Integer> {
    @Option(names = {"-r", "--remove"}, description = "remove the modules")
    boolean remove;

    @Option(names = {"-f", "--force"}, description = "force")
    boolean force;

    @Option(names = {"-q", "--quiet"}, description = "do not report modules that are not found")
    boolean quiet;

    @Option(names = {"-n", "--dry-run", "--show"}, description = "do not insert or remove anything")
    boolean dryRun;

    @Option(names = "--first-time", description = "fail if the module is already (or not) loaded")
    boolean firstTime;

    @Option(names = {"-d", "--dirname"}, paramLabel = "DIR", description = "search DIR first (repeatable)")
    List<Path> dirs = new ArrayList<>();

    @Option(names = {"-v", "--verbose", "-s", "--syslog"}, hidden = true, description = "ignored")
    boolean ignored;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Parameters(arity = "0..*", paramLabel = "MODULE [ARGS]")
    List<String> args = new ArrayList<>();

    /** For picocli. */
    public ModprobeCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        if (args.isEmpty()) {
            Kmod.error(inv.err(), "modprobe", "missing parameters. See -h.");
            return 2;
        }
        List<Path> search = new ArrayList<>();
        for (Path d : dirs) {
            search.add(inv.session().env().cwd().resolve(d));
        }
        ModulePath path = new ModulePath(inv.session().env().withModulePathFirst(search).modulePath());
        List<String> argv = new ArrayList<>(List.of("modprobe"));
        argv.addAll(args);
        return Programs.run("/sbin/modprobe", argv, p -> remove ? removeAll(inv, p) : insert(inv, p, path));
    }

    private int insert(Invocation inv, Process p, ModulePath path) {
        String name = ModuleNames.normalize(args.get(0));
        ModulePath.Entry e = path.find(name);
        if (e == null) {
            if (!quiet) {
                Kmod.fatal(inv.err(), "modprobe", "Module " + name + " not found in directory " + path.describe());
            }
            return 1;
        }
        if (ModuleStatus.initstate(p, name) != null) {
            if (firstTime) {
                Kmod.error(inv.err(), "modprobe", "could not insert '" + name + "': Module already in kernel");
                return 1;
            }
            return 0;
        }
        if (dryRun) {
            inv.out().println("insmod " + e.filename() + " " + String.join(" ", args.subList(1, args.size())));
            return 0;
        }
        ModuleRead.Outcome o = ModuleRead.read(inv, e.reader(inv.session().loader().exportedClasses()));
        int err;
        if (o instanceof ModuleRead.LoadError le) {
            Kmod.error(inv.err(), "modprobe", "could not insert '" + name + "': " + le.reason());
            return 1;
        } else if (o instanceof ModuleRead.InsertError ie) {
            err = ie.errno();
        } else {
            ModuleImage image = ((ModuleRead.Ok) o).image().withName(name);
            err = inv.session().loader().insmod(image, String.join(" ", args.subList(1, args.size())), p.task);
        }
        if (err < 0) {
            String why = switch (-err) {
                case Errno.EEXIST -> "Module already in kernel";
                case Errno.ENOENT -> "Unknown symbol in module, or unknown parameter (see dmesg)";
                default -> Errno.strerror(err);
            };
            Kmod.error(inv.err(), "modprobe", "could not insert '" + name + "': " + why);
            return 1;
        }
        return 0;
    }

    private int removeAll(Invocation inv, Process p) {
        int failures = 0;
        for (String arg : args) {
            String name = ModuleNames.normalize(arg);
            if (ModuleStatus.initstate(p, name) == null) {
                if (firstTime) {
                    Kmod.fatal(inv.err(), "modprobe", "Module " + name + " is not in kernel.");
                    failures++;
                }
                continue;
            }
            if (ModuleStatus.refcnt(p, name) > 0) {
                Kmod.fatal(inv.err(), "modprobe", "Module " + name + " is in use.");
                failures++;
                continue;
            }
            if (dryRun) {
                inv.out().println("rmmod " + name);
                continue;
            }
            int err = inv.session().loader().rmmod(name, force, p.task);
            if (err < 0) {
                Kmod.error(inv.err(), "modprobe", "could not remove '" + name + "': " + Errno.strerror(err));
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
