package dev.ksim.cli.shell;

import dev.ksim.cli.kmod.ModulePath;
import dev.ksim.kernel.fs.Vfs;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.kernel.text.ModuleText;
import dev.ksim.kernel.text.Symbol;
import dev.ksim.loader.LoadedModule;
import java.util.List;
import java.util.Set;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.shell.jline3.PicocliJLineCompleter;

/**
 * Tab completion in {@code ksim shell}: command names; options (from the commands' picocli specs);
 * module names (loaded ones for rmmod, the module path's for modprobe and modinfo); {@code bpf} subcommands,
 * loaded BPF objects and maps; host files for
 * insmod and modinfo; kallsyms symbols after {@code param=}; and paths of the simulated file system
 * ({@code /proc}, {@code /sys}, …) for the file commands and after {@code >}.
 */
final class ShellCompleter implements Completer {
    private static final Set<String> SIM_PATHS = Set.of("cat", "ls", "rm", "touch", "mkdir", "mv");

    private final Session session;
    private final Completers.FileNameCompleter hostFiles = new Completers.FileNameCompleter();

    ShellCompleter(Session session) {
        this.session = session;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        String word = line.word();
        if (line.wordIndex() == 0) {
            for (String c : Commands.NAMES) {
                candidates.add(new Candidate(c));
            }
            return;
        }
        String cmd = words.get(0);
        String previous = line.wordIndex() > 0 ? words.get(line.wordIndex() - 1) : "";
        if (previous.equals(">") || previous.equals(">>")) {
            simPaths(word, candidates);
            return;
        }
        if (word.startsWith("-")) {
            CommandLine root = session.commands();
            if (root.getSubcommands().containsKey(cmd)) {
                new PicocliJLineCompleter(root.getCommandSpec()).complete(reader, line, candidates);
            }
            return;
        }
        switch (cmd) {
            case "rmmod" -> {
                for (LoadedModule m : session.loader().modules()) {
                    candidates.add(new Candidate(m.name()));
                }
            }
            case "modprobe", "modinfo" -> {
                if (word.contains("=")) {
                    symbols(word, candidates);
                    return;
                }
                for (String n : new ModulePath(session.env().modulePath()).names()) {
                    candidates.add(new Candidate(n));
                }
                if (cmd.equals("modinfo")) {
                    hostFiles.complete(reader, line, candidates);
                }
            }
            case "insmod" -> {
                if (word.contains("=")) {
                    symbols(word, candidates);
                } else {
                    hostFiles.complete(reader, line, candidates);
                }
            }
            case "bpf" -> bpf(reader, line, candidates);
            case "echo" -> {
                // values are free text
            }
            default -> {
                if (SIM_PATHS.contains(cmd)) {
                    simPaths(word, candidates);
                }
            }
        }
    }

    /** {@code bpf}: its subcommands, then files to load, loaded objects to unload, maps to dump. */
    private void bpf(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> w = line.words();
        int i = line.wordIndex();
        List<String> values = new java.util.ArrayList<>();
        if (i == 1) {
            values.addAll(List.of("load", "unload", "list", "prog", "perf", "map"));
        } else if (i == 2 && w.get(1).equals("load")) {
            hostFiles.complete(reader, line, candidates);
        } else if (i == 2 && w.get(1).equals("unload")) {
            dev.ksim.loader.bpf.BpfLoader.of(session.kernel()).objects().forEach(o -> values.add(o.name()));
        } else if (i == 2 && (w.get(1).equals("prog") || w.get(1).equals("perf"))) {
            values.add("list");
        } else if (i == 2 && w.get(1).equals("map")) {
            values.addAll(List.of("list", "dump"));
        } else if (i == 3 && w.get(1).equals("map") && w.get(2).equals("dump")) {
            dev.ksim.loader.bpf.BpfLoader.of(session.kernel()).objects()
                    .forEach(o -> o.maps().forEach(m -> values.add(m.name())));
        }
        values.forEach(v -> candidates.add(new Candidate(v)));
    }

    /** {@code param=sym}: kallsyms function names as values. */
    private void symbols(String word, List<Candidate> candidates) {
        String key = word.substring(0, word.indexOf('=') + 1);
        var text = session.kernel().text();
        for (KFunction f : text.coreFunctions()) {
            candidates.add(new Candidate(key + f.name(), f.name(), null, null, null, null, true));
        }
        for (ModuleText mt : text.modules()) {
            for (Symbol s : mt.symbols) {
                candidates.add(new Candidate(key + s.name(), s.name(), null, null, null, null, true));
            }
        }
    }

    /** Paths of the simulated file system. */
    private void simPaths(String word, List<Candidate> candidates) {
        Vfs vfs = session.kernel().vfs();
        int slash = word.lastIndexOf('/');
        String dir = slash < 0 ? "/" : word.substring(0, slash + 1);
        String shown = slash < 0 ? "" : dir;
        Vfs.Inode node = vfs.lookup(dir);
        if (node == null || !node.isDir()) {
            return;
        }
        for (String name : vfs.list(node)) {
            Vfs.Inode child = vfs.lookup(dir + name);
            boolean isDir = child != null && child.isDir();
            candidates.add(new Candidate(shown + name + (isDir ? "/" : ""), name + (isDir ? "/" : ""), null, null, null,
                    null, !isDir));
        }
    }
}
