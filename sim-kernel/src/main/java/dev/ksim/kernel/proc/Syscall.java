package dev.ksim.kernel.proc;

import dev.ksim.kernel.Arch;

/** The system calls ksim implements, with their numbers on each architecture. */
public enum Syscall {
    /** read(2). */
    READ("read", 0, 63),
    /** write(2). */
    WRITE("write", 1, 64),
    /** close(2). */
    CLOSE("close", 3, 57),
    /** nanosleep(2). */
    NANOSLEEP("nanosleep", 35, 101),
    /** sched_yield(2). */
    SCHED_YIELD("sched_yield", 24, 124),
    /** clone(2). */
    CLONE("clone", 56, 220),
    /** fork(2); arm64 has none (libc uses clone). */
    FORK("fork", 57, -1),
    /** execve(2). */
    EXECVE("execve", 59, 221),
    /** wait4(2). */
    WAIT4("wait4", 61, 260),
    /** getdents64(2). */
    GETDENTS64("getdents64", 217, 61),
    /** exit_group(2). */
    EXIT_GROUP("exit_group", 231, 94),
    /** openat(2). */
    OPENAT("openat", 257, 56),
    /** mkdirat(2). */
    MKDIRAT("mkdirat", 258, 34),
    /** unlinkat(2). */
    UNLINKAT("unlinkat", 263, 35),
    /** renameat2(2). */
    RENAMEAT2("renameat2", 316, 276),
    /** finit_module(2). */
    FINIT_MODULE("finit_module", 313, 273),
    /** delete_module(2). */
    DELETE_MODULE("delete_module", 176, 106);

    /** The name, as in {@code __x64_sys_<name>}. */
    public final String name;
    private final int x86;
    private final int arm64;

    Syscall(String name, int x86, int arm64) {
        this.name = name;
        this.x86 = x86;
        this.arm64 = arm64;
    }

    /** @param arch an architecture @return this call's number there, or -1 if it has none */
    public int nr(Arch arch) {
        return arch == Arch.X86_64 ? x86 : arm64;
    }

    /** @param arch an architecture @param nr a number @return the call, or null */
    public static Syscall of(Arch arch, long nr) {
        for (Syscall s : values()) {
            if (s.nr(arch) == nr && nr >= 0) {
                return s;
            }
        }
        return null;
    }
}
