package dev.ksim.kernel.elf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A simulated user program as its file holds it: the ELF magic, then its symbol tables ({@code .dynsym},
 * {@code .symtab}), its functions' instructions with their file offsets, and its {@code .rodata} strings, padded
 * with NULs to the size a real binary of that program has. {@code readelf -s} prints the symbol tables; the
 * loader maps the functions and strings at the process's load base; uprobes name instructions by file offset.
 * Immutable.
 */
public final class ElfImage {
    /** The ELF identification: {@code \177ELF}, 64-bit, little-endian, version 1. */
    static final byte[] MAGIC = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};

    /**
     * One symbol table entry, as {@code readelf -s} shows it.
     *
     * @param table {@code .dynsym} or {@code .symtab}
     * @param value {@code st_value}
     * @param size {@code st_size}
     * @param type {@code FUNC}, {@code OBJECT}, {@code NOTYPE}, {@code FILE} …
     * @param bind {@code LOCAL}, {@code GLOBAL}, {@code WEAK}
     * @param vis {@code DEFAULT}, {@code HIDDEN}
     * @param ndx the section index, or {@code UND}/{@code ABS}
     * @param name the name (with its version, as readelf prints it)
     */
    public record Sym(String table, long value, long size, String type, String bind, String vis, String ndx,
            String name) {
    }

    /**
     * One machine instruction.
     *
     * @param offset its file offset
     * @param length its length in bytes
     * @param mnemonic e.g. {@code call}
     * @param operands e.g. {@code foo} or {@code $0x0,%eax}; empty if none
     */
    public record Insn(long offset, int length, String mnemonic, String operands) {
    }

    /**
     * A function of the program.
     *
     * @param name its symbol
     * @param offset its file offset (= {@code st_value} for a PIE)
     * @param size its size
     * @param insns its instructions in order
     */
    public record Function(String name, long offset, long size, List<Insn> insns) {
    }

    private final long fileSize;
    private final List<Sym> symbols;
    private final Map<String, Function> functions;
    private final Map<Long, String> strings;

    ElfImage(long fileSize, List<Sym> symbols, List<Function> functions, Map<Long, String> strings) {
        this.fileSize = fileSize;
        this.symbols = List.copyOf(symbols);
        Map<String, Function> fs = new LinkedHashMap<>();
        for (Function f : functions) {
            fs.put(f.name(), f);
        }
        this.functions = fs;
        this.strings = new TreeMap<>(strings);
    }

    /** @return the file's size in bytes */
    public long fileSize() {
        return fileSize;
    }

    /** @param table {@code .dynsym} or {@code .symtab} @return its entries in order */
    public List<Sym> symbols(String table) {
        return symbols.stream().filter(s -> s.table().equals(table)).toList();
    }

    /** @param name a function's name @return the function, or null */
    public Function function(String name) {
        return functions.get(name);
    }

    /** @return the {@code .rodata} strings by file offset */
    public Map<Long, String> strings() {
        return strings;
    }

    /** @param bytes a file's contents @return whether it starts with the ELF magic */
    public static boolean isElf(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
    }

    /** @return the file's contents */
    public byte[] toBytes() {
        StringBuilder b = new StringBuilder("\n");
        for (Sym s : symbols) {
            b.append(String.join("\t", "sym", s.table(), Long.toHexString(s.value()), Long.toString(s.size()),
                    s.type(), s.bind(), s.vis(), s.ndx(), s.name())).append('\n');
        }
        for (Function f : functions.values()) {
            b.append(String.join("\t", "fn", f.name(), Long.toHexString(f.offset()), Long.toString(f.size())))
                    .append('\n');
            for (Insn i : f.insns()) {
                b.append(String.join("\t", "insn", Long.toHexString(i.offset()), Integer.toString(i.length()),
                        i.mnemonic(), i.operands())).append('\n');
            }
        }
        for (Map.Entry<Long, String> e : strings.entrySet()) {
            b.append("str\t").append(Long.toHexString(e.getKey())).append('\t').append(e.getValue()).append('\n');
        }
        byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[(int) Math.max(fileSize, MAGIC.length + body.length + 1)];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        System.arraycopy(body, 0, out, MAGIC.length, body.length);
        return out;
    }

    /**
     * Reads a program file.
     *
     * @param bytes the file's contents
     * @return the image (with no symbols when the file holds only the ELF header), or null if not ELF
     */
    public static ElfImage parse(byte[] bytes) {
        if (!isElf(bytes)) {
            return null;
        }
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        String text = end <= MAGIC.length ? ""
                : new String(Arrays.copyOfRange(bytes, MAGIC.length, end), StandardCharsets.UTF_8);
        List<Sym> syms = new ArrayList<>();
        List<Function> fns = new ArrayList<>();
        Map<Long, String> strs = new TreeMap<>();
        String fnName = null;
        long fnOff = 0;
        long fnSize = 0;
        List<Insn> insns = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "sym" -> syms.add(new Sym(f[1], Long.parseUnsignedLong(f[2], 16), Long.parseLong(f[3]), f[4], f[5],
                        f[6], f[7], f[8]));
                case "fn" -> {
                    if (fnName != null) {
                        fns.add(new Function(fnName, fnOff, fnSize, List.copyOf(insns)));
                    }
                    fnName = f[1];
                    fnOff = Long.parseLong(f[2], 16);
                    fnSize = Long.parseLong(f[3]);
                    insns.clear();
                }
                case "insn" -> insns.add(new Insn(Long.parseLong(f[1], 16), Integer.parseInt(f[2]), f[3], f[4]));
                case "str" -> strs.put(Long.parseLong(f[1], 16), f[2]);
                default -> {
                }
            }
        }
        if (fnName != null) {
            fns.add(new Function(fnName, fnOff, fnSize, List.copyOf(insns)));
        }
        return new ElfImage(bytes.length, syms, fns, strs);
    }
}
