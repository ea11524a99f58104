package dev.ksim.cli.kmod;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.cli.work.Programs;
import dev.ksim.kernel.proc.Process;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code insmod FILE [param=value…]}: kmod's insmod. */
@Command(name = "insmod", description = "Insert a module (a .jar or .java file) into the kernel. A .java file is "
        + "checked first (ksim check); an error refuses the load.",
        footer = {"", "Exit status: 0 if loaded, 1 if the kernel (or the check) refused it, 2 for a usage error."})
public final class InsmodCommand implements Callable<Integer> {
    @Option(names = {"-f", "--force"}, description = "force (ignore version magic)")
    boolean force;

    /** Load a {@code .java} module even when {@code ksim check} finds errors in it (they are still printed). */
    @Option(names = "--ignore-check", description = "load a .java module despite ksim check errors (printed anyway)")
    boolean ignoreCheck;

    @Option(names = {"-s", "-p"}, hidden = true, description = "ignored, for compatibility")
    boolean ignored;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Parameters(arity = "0..*", paramLabel = "FILE [ARGS]", description = "the module file and its parameters")
    List<String> args = new ArrayList<>();

    /** For picocli. */
    public InsmodCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        if (args.isEmpty()) {
            Kmod.error(inv.err(), "insmod", "missing filename.");
            return 2;
        }
        String file = args.get(0);
        if (file.equals("-")) {
            Kmod.error(inv.err(), "insmod", "this tool does not support loading from stdin!");
            return 1;
        }
        String opts = String.join(" ", args.subList(1, args.size()));
        List<String> argv = new ArrayList<>();
        argv.add("insmod");
        argv.addAll(args);
        return Programs.run("/sbin/insmod", argv, p -> insert(inv, p, file, opts));
    }

    private int insert(Invocation inv, Process p, String file, String opts) {
        Path path = inv.session().env().cwd().resolve(file);
        if (file.endsWith(".java") && java.nio.file.Files.isRegularFile(path)
                && !SourceCheck.allows(inv.err(), path, file, inv.session().kernel().profile(), ignoreCheck)) {
            return 1;
        }
        ModuleRead.Outcome o = ModuleRead.read(inv, () -> dev.ksim.loader.image.ModuleFiles.read(path, file,
                inv.session().loader().exportedClasses()));
        int err;
        if (o instanceof ModuleRead.LoadError le) {
            Kmod.error(inv.err(), "insmod", "could not load module " + file + ": " + le.reason());
            return 1;
        } else if (o instanceof ModuleRead.InsertError ie) {
            err = ie.errno();
        } else {
            err = inv.session().loader().insmod(((ModuleRead.Ok) o).image(), opts, p.task);
        }
        if (err < 0) {
            Kmod.error(inv.err(), "insmod", "could not insert module " + file + ": " + Kmod.modStrerror(err));
            return 1;
        }
        return 0;
    }
}
