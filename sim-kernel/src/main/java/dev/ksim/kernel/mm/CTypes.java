package dev.ksim.kernel.mm;

import java.util.HashMap;
import java.util.Map;

/**
 * Sizes of the C scalar types and typedefs that appear in {@link StructLayouts}, for an LP64 kernel
 * (x86_64 and arm64 alike): {@code long} and pointers are 8 bytes, and every scalar is aligned to its size.
 */
public final class CTypes {
    /** {@code sizeof(void *)} on LP64. */
    public static final int POINTER_SIZE = 8;

    private static final Map<String, Integer> SCALARS = new HashMap<>();

    static {
        for (String t : new String[] {"char", "signed char", "unsigned char", "u8", "s8", "__u8", "__s8", "bool",
            "_Bool"}) {
            SCALARS.put(t, 1);
        }
        for (String t : new String[] {"short", "unsigned short", "u16", "s16", "__u16", "__s16", "umode_t"}) {
            SCALARS.put(t, 2);
        }
        for (String t : new String[] {"int", "unsigned int", "unsigned", "u32", "s32", "__u32", "__s32", "pid_t",
            "uid_t", "gid_t", "kuid_t", "kgid_t", "atomic_t", "refcount_t", "fmode_t", "spinlock_t",
            "raw_spinlock_t", "dev_t", "errseq_t", "seqcount_t", "seqcount_spinlock_t", "gfp_t"}) {
            SCALARS.put(t, 4);
        }
        for (String t : new String[] {"long", "unsigned long", "long long", "unsigned long long", "u64", "s64",
            "__u64", "__s64", "size_t", "ssize_t", "loff_t", "atomic_long_t", "atomic64_t", "kernel_cap_t",
            "blkcnt_t", "sigset_t", "time64_t", "ktime_t", "sector_t", "pgoff_t", "uintptr_t"}) {
            SCALARS.put(t, 8);
        }
    }

    private CTypes() {
    }

    /**
     * @param type a scalar type or typedef, without qualifiers, e.g. {@code "unsigned long"} or {@code "kuid_t"}
     * @return its size in bytes (which is also its alignment), or -1 if it is not a known scalar
     */
    public static int scalarSize(String type) {
        Integer s = SCALARS.get(type);
        return s == null ? -1 : s;
    }

    /**
     * Removes qualifiers and annotations ({@code const}, {@code volatile}, {@code __rcu}, {@code __user},
     * {@code __percpu}) and normalises spaces, so {@code "const struct cred __rcu *"} becomes
     * {@code "struct cred *"}.
     *
     * @param type a C type
     * @return the normalised spelling
     */
    public static String strip(String type) {
        StringBuilder out = new StringBuilder();
        for (String tok : type.replace("*", " * ").trim().split("\\s+")) {
            switch (tok) {
                case "const", "volatile", "__rcu", "__user", "__percpu", "__iomem" -> {
                }
                default -> {
                    if (out.length() > 0 && !(tok.equals("*") && out.charAt(out.length() - 1) == '*')) {
                        out.append(' ');
                    }
                    out.append(tok);
                }
            }
        }
        return out.toString();
    }
}
