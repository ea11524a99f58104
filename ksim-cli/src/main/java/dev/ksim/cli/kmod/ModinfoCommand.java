package dev.ksim.cli.kmod;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.loader.image.ModuleFiles;
import dev.ksim.loader.image.ModuleImage;
import dev.ksim.loader.image.ModuleMeta;
import dev.ksim.loader.image.ParamSpec;
import dev.ksim.sdk.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modinfo [-F FIELD] NAME|FILE…}: kmod's modinfo, on a module file or a module of the module path. */
@Command(name = "modinfo", description = "Show information about modules (files, or names on the module path).")
public final class ModinfoCommand implements Callable<Integer> {

    @Option(names = {"-a", "--author"}, description = "print only 'author'")
    boolean author;

    @Option(names = {"-d", "--description"}, description = "print only 'description'")
    boolean description;

    @Option(names = {"-l", "--license"}, description = "print only 'license'")
    boolean license;

    @Option(names = {"-p", "--parameters"}, description = "print only 'parm'")
    boolean parameters;

    @Option(names = {"-n", "--filename"}, description = "print only 'filename'")
    boolean filename;

    @Option(names = {"-0", "--null"}, description = "use \\0 instead of \\n")
    boolean nul;

    @Option(names = {"-F", "--field"}, paramLabel = "FIELD", description = "print only FIELD")
    String field;

    @Option(names = {"-m", "--modname"}, description = "handle arguments as module names")
    boolean modname;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Parameters(arity = "0..*", paramLabel = "MODULE")
    List<String> modules = new ArrayList<>();

    /** For picocli. */
    public ModinfoCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        String only = author ? "author" : description ? "description" : license ? "license" : parameters ? "parm"
                : filename ? "filename" : field;
        char sep = nul ? '\0' : '\n';
        if (modules.isEmpty()) {
            Kmod.error(inv.err(), "modinfo", "missing module or filename.");
            return 2;
        }
        ModulePath path = new ModulePath(inv.session().env().modulePath());
        int failures = 0;
        for (String arg : modules) {
            Path f = inv.session().env().cwd().resolve(arg);
            ModuleRead.Outcome o;
            String fileName;
            if (!modname && Files.isRegularFile(f) && ModulePath.isModuleFile(f)) {
                fileName = arg;
                o = ModuleRead.read(inv, () -> ModuleFiles.read(f, arg, inv.session().loader().exportedClasses()));
            } else {
                ModulePath.Entry e = path.find(arg);
                if (e == null) {
                    Kmod.error(inv.err(), "modinfo", "Module " + arg + " not found.");
                    failures++;
                    continue;
                }
                fileName = e.filename();
                o = ModuleRead.read(inv, e.reader(inv.session().loader().exportedClasses()));
            }
            if (o instanceof ModuleRead.Ok ok) {
                print(inv, ok.image(), fileName, only, sep,
                        inv.session().kernel().profile().release + " SMP preempt mod_unload ");
            } else {
                String why = o instanceof ModuleRead.LoadError le ? le.reason()
                        : Errno.strerror(((ModuleRead.InsertError) o).errno());
                Kmod.error(inv.err(), "modinfo", "could not get modinfo from '" + arg + "': " + why);
                failures++;
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private static void print(Invocation inv, ModuleImage m, String file, String only, char sep, String vermagic) {
        List<String[]> fields = fields(m, file, vermagic);
        StringBuilder b = new StringBuilder();
        for (String[] kv : fields) {
            if (only == null) {
                b.append(String.format("%-16s%s", kv[0] + ":", kv[1])).append(sep);
            } else if (only.equals(kv[0])) {
                b.append(kv[1]).append(sep);
            }
        }
        inv.out().print(b);
    }

    /**
     * The {@code .modinfo} of a module as modinfo lists it, filename first.
     *
     * @param m the module
     * @param file its file as shown
     * @param vermagic what it is built for: ksim modules are built for the running kernel
     * @return key-value pairs
     */
    static List<String[]> fields(ModuleImage m, String file, String vermagic) {
        ModuleMeta meta = m.meta();
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"filename", file});
        if (!meta.version().isEmpty()) {
            out.add(new String[] {"version", meta.version()});
        }
        if (!meta.author().isEmpty()) {
            out.add(new String[] {"author", meta.author()});
        }
        if (!meta.description().isEmpty()) {
            out.add(new String[] {"description", meta.description()});
        }
        if (meta.license() != null) {
            out.add(new String[] {"license", meta.license()});
        }
        out.add(new String[] {"depends", ""});
        out.add(new String[] {"name", m.name()});
        out.add(new String[] {"vermagic", vermagic});
        for (ParamSpec p : meta.params()) {
            String type = p.type().kernelName();
            out.add(new String[] {"parm", p.description().isEmpty() ? p.name() + ":" + type
                    : p.name() + ":" + p.description() + " (" + type + ")"});
        }
        return out;
    }
}
