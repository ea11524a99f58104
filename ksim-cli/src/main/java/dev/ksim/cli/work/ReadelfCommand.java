package dev.ksim.cli.work;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.kernel.elf.ElfImage;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Errno;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code readelf -s [-W] FILE…}: a program's symbol tables in binutils' format ({@code display_symbols}): the
 * {@code .dynsym} and {@code .symtab} tables, names cut to 21 columns with {@code [...]} unless {@code -W}.
 */
@Command(name = "readelf", description = "Display information about the contents of ELF format files.")
public final class ReadelfCommand implements Callable<Integer> {
    @Option(names = {"-s", "--syms", "--symbols"}, description = "Display the symbol table")
    boolean syms;

    @Option(names = {"-W", "--wide"}, description = "Allow output width to exceed 80 characters")
    boolean wide;

    @Option(names = "--help", usageHelp = true, description = "Display this information")
    boolean help;

    @Parameters(arity = "0..*", paramLabel = "elf-file")
    List<String> files = new ArrayList<>();

    /** For picocli. */
    public ReadelfCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        if (!syms || files.isEmpty()) {
            inv.err().println("Usage: readelf <option(s)> elf-file(s)");
            inv.err().println(" Display information about the contents of ELF format files");
            inv.err().println("  -s --syms              Display the symbol table");
            inv.err().println("  -W --wide              Allow output width to exceed 80 characters");
            return 1;
        }
        List<String> argv = new ArrayList<>(List.of("readelf", "-s"));
        if (wide) {
            argv.add("-W");
        }
        argv.addAll(files);
        return Programs.run("/usr/bin/readelf", argv, p -> {
            int status = 0;
            for (String f : files) {
                byte[] bytes = slurp(inv, p, f);
                if (bytes == null) {
                    status = 1;
                    continue;
                }
                ElfImage img = ElfImage.parse(bytes);
                if (img == null) {
                    inv.err().println("readelf: Error: Not an ELF file - it has the wrong magic bytes at the start");
                    status = 1;
                    continue;
                }
                if (files.size() > 1) {
                    inv.out().println();
                    inv.out().println("File: " + f);
                }
                show(inv.out(), img, ".dynsym", wide);
                show(inv.out(), img, ".symtab", wide);
            }
            return status;
        });
    }

    private static byte[] slurp(Invocation inv, Process p, String f) {
        long fd = p.open(f, Process.O_RDONLY, 0);
        if (fd < 0) {
            inv.err().println("readelf: Error: '" + f + "': " + (fd == -Errno.ENOENT ? "No such file"
                    : Errno.strerror((int) fd)));
            return null;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                byte[] b = p.read((int) fd, 1 << 16);
                if (b == null) {
                    inv.err().println("readelf: Error: '" + f + "': " + Errno.strerror((int) p.lastError()));
                    return null;
                }
                if (b.length == 0) {
                    return out.toByteArray();
                }
                out.writeBytes(b);
            }
        } finally {
            p.close((int) fd);
        }
    }

    /** One table: {@code %6d: } value, size, type, bind, visibility, section index, name. */
    static void show(PrintWriter out, ElfImage img, String table, boolean wide) {
        List<ElfImage.Sym> syms = img.symbols(table);
        if (syms.isEmpty()) {
            return;
        }
        out.println();
        out.printf("Symbol table '%s' contains %d %s:%n", table, syms.size(), syms.size() == 1 ? "entry" : "entries");
        out.println("   Num:    Value          Size Type    Bind   Vis      Ndx Name");
        for (int i = 0; i < syms.size(); i++) {
            ElfImage.Sym s = syms.get(i);
            out.printf("%6d: %016x %5d %-7s %-6s %-7s %4s %s%n", i, s.value(), s.size(), s.type(), s.bind(), s.vis(),
                    s.ndx(), wide ? s.name() : fit(s.name()));
        }
    }

    /** binutils' 21-column name field: too long a name keeps its start (and its version) around {@code [...]}. */
    static String fit(String name) {
        int at = name.indexOf('@');
        if (at >= 0 && name.endsWith(")")) {
            String version = name.substring(at);
            String base = name.substring(0, at);
            int room = 21 - version.length();
            if (base.length() > room) {
                base = (room > 5 ? base.substring(0, room - 5) : "") + "[...]";
            }
            return base + version;
        }
        return name.length() > 21 ? name.substring(0, 16) + "[...]" : name;
    }
}
