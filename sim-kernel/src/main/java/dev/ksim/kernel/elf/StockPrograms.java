package dev.ksim.kernel.elf;

import dev.ksim.kernel.fs.Vfs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The programs installed in the simulated file system: every {@code /bin} and {@code /usr/bin} command, and
 * {@code /root/test}, the seed's {@code test.c} built with {@code gcc test.c -o test} (a PIE: {@code foo} at
 * {@code 0x1149}, {@code main} at {@code 0x1163}, {@code .symtab} entry 28 as in the walk-through). Their symbol
 * tables are those gcc and glibc give such a program.
 */
public final class StockPrograms {
    /** The demo program's path. */
    public static final String TEST = "/root/test";

    private StockPrograms() {
    }

    /**
     * Writes the programs' images into the file system.
     *
     * @param vfs the file system
     */
    public static void install(Vfs vfs) {
        vfs.create("/usr/bin/readelf", 0755);
        for (String b : List.of("/usr/bin/readelf", "/bin/sh", "/bin/bash", "/bin/ls", "/bin/cat", "/bin/touch", "/bin/rm", "/bin/mkdir",
                "/bin/mv", "/bin/echo", "/bin/sleep", "/usr/bin/id", "/usr/bin/true", "/usr/bin/stress", "/sbin/init")) {
            Vfs.Inode node = vfs.lookup(b);
            if (node != null) {
                vfs.write(node, command(b.substring(b.lastIndexOf('/') + 1)).toBytes(), false);
            }
        }
        vfs.create(TEST, 0755);
        vfs.write(vfs.lookup(TEST), test().toBytes(), false);
    }

    /** {@code test.c}: {@code foo()} prints "foo() called"; {@code main()} calls it and returns 0. */
    static ElfImage test() {
        List<ElfImage.Function> fns = new ArrayList<>();
        fns.add(new ElfImage.Function("foo", 0x1149, 26, List.of(
                insn(0x1149, 4, "endbr64", ""),
                insn(0x114d, 1, "push", "%rbp"),
                insn(0x114e, 3, "mov", "%rsp,%rbp"),
                insn(0x1151, 7, "lea", "0x2004,%rax"),
                insn(0x1158, 3, "mov", "%rax,%rdi"),
                insn(0x115b, 5, "call", "puts@plt"),
                insn(0x1160, 1, "nop", ""),
                insn(0x1161, 1, "pop", "%rbp"),
                insn(0x1162, 1, "ret", ""))));
        fns.add(main("foo", "mov", "$0x0,%eax"));
        return new ElfImage(15960, symbols("test.c", true), fns, Map.of(0x2004L, "foo() called"));
    }

    /**
     * A system command: its {@code main} runs the command's work (the simulated body) between its prologue and
     * epilogue, so a uprobe on {@code main} fires in every process running it.
     */
    static ElfImage command(String name) {
        List<ElfImage.Function> fns = List.of(main(UserRuntime.BODY, "nop", ""));
        return new ElfImage(14472, symbols(name + ".c", false), fns, Map.of());
    }

    /**
     * {@code int main(void) { callee(); return 0; }} at 0x1163, as gcc compiles it.
     *
     * @param callee what main calls
     * @param after the instruction after the call ({@code mov $0x0,%eax} for the return value)
     * @param operands its operands
     */
    private static ElfImage.Function main(String callee, String after, String operands) {
        return new ElfImage.Function("main", 0x1163, 25, List.of(
                insn(0x1163, 4, "endbr64", ""),
                insn(0x1167, 1, "push", "%rbp"),
                insn(0x1168, 3, "mov", "%rsp,%rbp"),
                insn(0x116b, 5, "mov", "$0x0,%eax"),
                insn(0x1170, 5, "call", callee),
                insn(0x1175, 5, after, operands),
                insn(0x117a, 1, "pop", "%rbp"),
                insn(0x117b, 1, "ret", "")));
    }

    private static ElfImage.Insn insn(long off, int len, String mnemonic, String operands) {
        return new ElfImage.Insn(off, len, mnemonic, operands);
    }

    /** The tables gcc 11 and glibc 2.35 give a small PIE ({@code foo} only in the test program). */
    private static List<ElfImage.Sym> symbols(String source, boolean withFoo) {
        List<ElfImage.Sym> s = new ArrayList<>();
        String d = ".dynsym";
        s.add(sym(d, 0, 0, "NOTYPE", "LOCAL", "DEFAULT", "UND", ""));
        s.add(sym(d, 0, 0, "FUNC", "GLOBAL", "DEFAULT", "UND", "__libc_start_main@GLIBC_2.34 (2)"));
        s.add(sym(d, 0, 0, "NOTYPE", "WEAK", "DEFAULT", "UND", "_ITM_deregisterTMCloneTable"));
        s.add(sym(d, 0, 0, "FUNC", "GLOBAL", "DEFAULT", "UND", "puts@GLIBC_2.2.5 (3)"));
        s.add(sym(d, 0, 0, "NOTYPE", "WEAK", "DEFAULT", "UND", "__gmon_start__"));
        s.add(sym(d, 0, 0, "NOTYPE", "WEAK", "DEFAULT", "UND", "_ITM_registerTMCloneTable"));
        s.add(sym(d, 0, 0, "FUNC", "WEAK", "DEFAULT", "UND", "__cxa_finalize@GLIBC_2.2.5 (3)"));
        String t = ".symtab";
        s.add(sym(t, 0, 0, "NOTYPE", "LOCAL", "DEFAULT", "UND", ""));
        s.add(sym(t, 0, 0, "FILE", "LOCAL", "DEFAULT", "ABS", "Scrt1.o"));
        s.add(sym(t, 0x38c, 32, "OBJECT", "LOCAL", "DEFAULT", "4", "__abi_tag"));
        s.add(sym(t, 0, 0, "FILE", "LOCAL", "DEFAULT", "ABS", "crtstuff.c"));
        s.add(sym(t, 0x1090, 0, "FUNC", "LOCAL", "DEFAULT", "16", "deregister_tm_clones"));
        s.add(sym(t, 0x10c0, 0, "FUNC", "LOCAL", "DEFAULT", "16", "register_tm_clones"));
        s.add(sym(t, 0x1100, 0, "FUNC", "LOCAL", "DEFAULT", "16", "__do_global_dtors_aux"));
        s.add(sym(t, 0x4010, 1, "OBJECT", "LOCAL", "DEFAULT", "26", "completed.0"));
        s.add(sym(t, 0x3dc0, 0, "OBJECT", "LOCAL", "DEFAULT", "22", "__do_global_dtors_aux_fini_array_entry"));
        s.add(sym(t, 0x1140, 0, "FUNC", "LOCAL", "DEFAULT", "16", "frame_dummy"));
        s.add(sym(t, 0x3db8, 0, "OBJECT", "LOCAL", "DEFAULT", "21", "__frame_dummy_init_array_entry"));
        s.add(sym(t, 0, 0, "FILE", "LOCAL", "DEFAULT", "ABS", source));
        s.add(sym(t, 0, 0, "FILE", "LOCAL", "DEFAULT", "ABS", "crtstuff.c"));
        s.add(sym(t, 0x20f4, 0, "OBJECT", "LOCAL", "DEFAULT", "20", "__FRAME_END__"));
        s.add(sym(t, 0, 0, "FILE", "LOCAL", "DEFAULT", "ABS", ""));
        s.add(sym(t, 0x3dc8, 0, "OBJECT", "LOCAL", "DEFAULT", "23", "_DYNAMIC"));
        s.add(sym(t, 0x2014, 0, "NOTYPE", "LOCAL", "DEFAULT", "19", "__GNU_EH_FRAME_HDR"));
        s.add(sym(t, 0x3fb8, 0, "OBJECT", "LOCAL", "DEFAULT", "24", "_GLOBAL_OFFSET_TABLE_"));
        s.add(sym(t, 0, 0, "FUNC", "GLOBAL", "DEFAULT", "UND", "__libc_start_main@GLIBC_2.34"));
        s.add(sym(t, 0, 0, "NOTYPE", "WEAK", "DEFAULT", "UND", "_ITM_deregisterTMCloneTable"));
        s.add(sym(t, 0x4000, 0, "NOTYPE", "WEAK", "DEFAULT", "25", "data_start"));
        s.add(sym(t, 0, 0, "FUNC", "GLOBAL", "DEFAULT", "UND", "puts@GLIBC_2.2.5"));
        s.add(sym(t, 0x4010, 0, "NOTYPE", "GLOBAL", "DEFAULT", "25", "_edata"));
        s.add(sym(t, 0x117c, 0, "FUNC", "GLOBAL", "HIDDEN", "17", "_fini"));
        s.add(sym(t, 0x4000, 0, "NOTYPE", "GLOBAL", "DEFAULT", "25", "__data_start"));
        s.add(sym(t, 0, 0, "NOTYPE", "WEAK", "DEFAULT", "UND", "__gmon_start__"));
        s.add(sym(t, 0x4008, 0, "OBJECT", "GLOBAL", "HIDDEN", "25", "__dso_handle"));
        s.add(sym(t, 0x2000, 4, "OBJECT", "GLOBAL", "DEFAULT", "18", "_IO_stdin_used"));
        if (withFoo) {
            s.add(sym(t, 0x1149, 26, "FUNC", "GLOBAL", "DEFAULT", "16", "foo"));
        }
        s.add(sym(t, 0x4018, 0, "NOTYPE", "GLOBAL", "DEFAULT", "26", "_end"));
        s.add(sym(t, 0x1060, 38, "FUNC", "GLOBAL", "DEFAULT", "16", "_start"));
        s.add(sym(t, 0x4010, 0, "NOTYPE", "GLOBAL", "DEFAULT", "26", "__bss_start"));
        s.add(sym(t, 0x1163, 25, "FUNC", "GLOBAL", "DEFAULT", "16", "main"));
        s.add(sym(t, 0x4010, 0, "OBJECT", "GLOBAL", "HIDDEN", "25", "__TMC_END__"));
        s.add(sym(t, 0, 0, "NOTYPE", "WEAK", "DEFAULT", "UND", "_ITM_registerTMCloneTable"));
        s.add(sym(t, 0, 0, "FUNC", "WEAK", "DEFAULT", "UND", "__cxa_finalize@GLIBC_2.2.5"));
        s.add(sym(t, 0x1000, 0, "FUNC", "GLOBAL", "HIDDEN", "12", "_init"));
        return s;
    }

    private static ElfImage.Sym sym(String table, long value, long size, String type, String bind, String vis,
            String ndx, String name) {
        return new ElfImage.Sym(table, value, size, type, bind, vis, ndx, name);
    }
}
