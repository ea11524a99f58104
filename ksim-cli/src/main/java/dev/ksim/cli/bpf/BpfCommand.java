package dev.ksim.cli.bpf;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.cli.work.Programs;
import dev.ksim.loader.bpf.BpfLoader;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.bpf.BpfKvMap;
import dev.ksim.sdk.bpf.BpfMap;
import dev.ksim.sdk.bpf.BpfRingBuf;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bpf}: loads BPF-style programs and shows them, in the manner of {@code ecli run} and
 * {@code bpftool}:
 *
 * <pre>
 * bpf load FILE                 open, verify, load and attach a .java or .jar object
 * bpf unload NAME               detach and unload an object
 * bpf list | bpf prog list      the loaded programs (bpftool prog list)
 * bpf perf list                 where they are attached (bpftool perf list)
 * bpf map list                  the maps (bpftool map list)
 * bpf map dump ID|NAME          a map's elements (bpftool map dump); a ring buffer's pending records are consumed
 * </pre>
 */
@Command(name = "bpf", description = "Load, list and unload BPF programs; list and dump their maps.",
        footer = {"", "Usage: bpf load FILE | bpf unload NAME | bpf list | bpf prog list | bpf perf list"
                + " | bpf map list | bpf map dump ID|NAME", "",
                "Exit status: 0 on success, 1 if the kernel or the verifier refused, 2 for a usage error."})
public final class BpfCommand implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "the subcommand and its arguments")
    List<String> args = new ArrayList<>();

    /** For picocli. */
    public BpfCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        List<String> a = args;
        String verb = a.isEmpty() ? "" : a.get(0);
        List<String> argv = new ArrayList<>();
        argv.add("bpftool");
        argv.addAll(a);
        return switch (verb) {
            case "load" -> a.size() == 2 ? Programs.run("/sbin/bpftool", argv, p -> load(inv, a.get(1)))
                    : usage(inv, "bpf load FILE");
            case "unload" -> a.size() == 2 ? Programs.run("/sbin/bpftool", argv, p -> unload(inv, a.get(1)))
                    : usage(inv, "bpf unload NAME");
            case "list" -> a.size() == 1 ? progList(inv) : usage(inv, "bpf list");
            case "prog" -> a.size() == 2 && (a.get(1).equals("list") || a.get(1).equals("show")) ? progList(inv)
                    : usage(inv, "bpf prog list");
            case "perf" -> a.size() == 1 || (a.size() == 2 && a.get(1).equals("list")) ? perfList(inv)
                    : usage(inv, "bpf perf list");
            case "map" -> map(inv, a.subList(1, a.size()));
            default -> usage(inv, "bpf load FILE | unload NAME | list | prog list | perf list | map list"
                    + " | map dump ID|NAME");
        };
    }

    private static int usage(Invocation inv, String what) {
        inv.err().println("bpf: usage: " + what);
        return 2;
    }

    private static BpfLoader loader(Invocation inv) {
        return BpfLoader.of(inv.session().kernel());
    }

    private static int load(Invocation inv, String file) {
        Path path = inv.session().env().cwd().resolve(file);
        BpfLoader.LoadResult r;
        try {
            r = loader(inv).load(path, file);
        } catch (NoSuchFileException e) {
            inv.err().println("libbpf: failed to open " + file + ": " + Errno.strerror(-Errno.ENOENT));
            return 1;
        } catch (IOException e) {
            inv.err().println("libbpf: failed to open " + file + ": " + e.getMessage());
            return 1;
        } catch (dev.ksim.loader.image.CompileException e) {
            inv.err().print(e.getMessage().endsWith("\n") ? e.getMessage() : e.getMessage() + "\n");
            return 1;
        }
        if (r.err() < 0) {
            inv.err().print(r.log());
            inv.err().println("Error: failed to load object file: " + Errno.strerror(r.err()));
            return 1;
        }
        return 0;
    }

    private static int unload(Invocation inv, String name) {
        int err = loader(inv).unload(name.replace('-', '_'));
        if (err < 0) {
            inv.err().println("Error: can't find object '" + name + "': " + Errno.strerror(err));
            return 1;
        }
        return 0;
    }

    private static int progList(Invocation inv) {
        inv.out().print(BpftoolFormat.progList(loader(inv).objects()));
        return 0;
    }

    private static int perfList(Invocation inv) {
        inv.out().print(BpftoolFormat.perfList(loader(inv).objects()));
        return 0;
    }

    private static int map(Invocation inv, List<String> a) {
        if (a.size() == 1 && (a.get(0).equals("list") || a.get(0).equals("show"))) {
            inv.out().print(BpftoolFormat.mapList(loader(inv).objects()));
            return 0;
        }
        if (a.isEmpty() || !a.get(0).equals("dump") || a.size() < 2 || a.size() > 3
                || (a.size() == 3 && !a.get(1).equals("id") && !a.get(1).equals("name"))) {
            return usage(inv, "bpf map list | bpf map dump [id|name] ID|NAME");
        }
        String which = a.get(a.size() - 1);
        BpfMap m = loader(inv).map(which);
        if (m == null) {
            inv.err().println("Error: get map by " + (which.chars().allMatch(Character::isDigit) ? "id" : "name")
                    + " '" + which + "': " + Errno.strerror(-Errno.ENOENT));
            return 1;
        }
        if (m instanceof BpfRingBuf<?> rb) {
            StringBuilder b = new StringBuilder();
            int n = rb.consume(rec -> b.append(BpftoolFormat.json(rec, 0)).append('\n'));
            inv.out().print(b);
            inv.out().println("Found " + n + " record" + (n == 1 ? "" : "s"));
            return 0;
        }
        inv.out().print(BpftoolFormat.mapDump((BpfKvMap<?, ?>) m));
        return 0;
    }
}
