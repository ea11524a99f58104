package dev.ksim.kernel.bpf;

import dev.ksim.kernel.printk.Vsprintf;
import dev.ksim.sdk.Errno;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * {@code bpf_trace_printk} and {@code bpf_trace_vprintk} ({@code kernel/trace/bpf_trace.c}): the format is
 * checked as {@code bpf_bprintf_prepare()} ({@code kernel/bpf/helpers.c}) checks it, the arguments are
 * converted as the conversion's size says ({@code %d} takes the low 32 bits, {@code %ld} and {@code %lld}
 * 64), {@code %s} strings are copied without faulting, and the text, cut to {@code MAX_BPRINTF_BUF}
 * bytes, goes to the tracing ring buffer through a {@link BpfTraceOutput}.
 */
public final class BpfPrintk {
    /** {@code MAX_BPRINTF_VARARGS}: the most arguments {@code bpf_trace_vprintk} takes. */
    public static final int MAX_BPRINTF_VARARGS = 12;
    /** {@code MAX_BPRINTF_BUF}: the formatted text's buffer. */
    public static final int MAX_BPRINTF_BUF = 1024;
    /** {@code MAX_BPRINTF_STR_LEN}: the most bytes a {@code %s} copies from kernel memory. */
    static final int MAX_BPRINTF_STR_LEN = 512;

    /** The notice {@code trace_printk_init_buffers()} prints ({@code kernel/trace/trace.c}). */
    static final String[] NOTICE = {
        "",
        "**********************************************************",
        "**   NOTICE NOTICE NOTICE NOTICE NOTICE NOTICE NOTICE   **",
        "**                                                      **",
        "** trace_printk() being used. Allocating extra memory.  **",
        "**                                                      **",
        "** This means that this is a DEBUG kernel and it is     **",
        "** unsafe for production use.                           **",
        "**                                                      **",
        "** If you see this message and you are not debugging    **",
        "** the kernel, report this immediately to your system   **",
        "** administrator!                                       **",
        "**                                                      **",
        "**   NOTICE NOTICE NOTICE NOTICE NOTICE NOTICE NOTICE   **",
        "**********************************************************",
    };

    private final Vsprintf vsprintf;
    /** Whether this kernel's bpf_trace_printk goes through trace_printk's buffers (before 5.9). */
    private final boolean usesTracePrintkBuffers;
    /** {@code pr_warn}. */
    private final java.util.function.Consumer<String> warn;
    /** {@code buffers_allocated}: set once by the first program that may call the helper. */
    private final java.util.concurrent.atomic.AtomicBoolean buffersAllocated = new java.util.concurrent.atomic.AtomicBoolean();
    /** Reads a kernel string for {@code %s} of an address: (address, max) → string or null on a fault. */
    private final BiFunction<Long, Integer, String> kernelString;
    /** Set by whoever owns the tracing ring buffer; read by every CPU printing. */
    private volatile BpfTraceOutput output;

    /**
     * @param vsprintf the kernel's formatter
     * @param kernelString {@code strncpy_from_kernel_nofault} as a function of address and size
     * @param output where lines go until {@link #setOutput} changes it
     * @param usesTracePrintkBuffers true for kernels before 5.9, whose helper printed through
     *     {@code trace_printk()}'s per-CPU buffers and allocated them when a program using it was loaded
     * @param warn {@code pr_warn}: prints one line (without the newline) to the kernel log
     */
    public BpfPrintk(Vsprintf vsprintf, BiFunction<Long, Integer, String> kernelString, BpfTraceOutput output,
            boolean usesTracePrintkBuffers, java.util.function.Consumer<String> warn) {
        this.vsprintf = Objects.requireNonNull(vsprintf);
        this.usesTracePrintkBuffers = usesTracePrintkBuffers;
        this.warn = Objects.requireNonNull(warn);
        this.kernelString = Objects.requireNonNull(kernelString);
        this.output = Objects.requireNonNull(output);
    }

    /** @param output the tracing ring buffer's {@code trace_bpf_trace_printk} */
    public void setOutput(BpfTraceOutput output) {
        this.output = Objects.requireNonNull(output);
    }

    /** @return where lines go now */
    public BpfTraceOutput output() {
        return output;
    }

    /**
     * {@code bpf_get_trace_printk_proto()}: what the verifier calls when a program being loaded calls the
     * helper. Before 5.9 it allocated {@code trace_printk()}'s buffers, which prints the
     * {@code trace_printk() being used} notice to the kernel log once per boot; since then the helper
     * writes its own {@code bpf_trace/bpf_trace_printk} event and prints nothing.
     */
    public void bpf_get_trace_printk_proto() {
        if (usesTracePrintkBuffers && buffersAllocated.compareAndSet(false, true)) {
            for (String line : NOTICE) {
                warn.accept(line);
            }
        }
    }

    /**
     * The helper.
     *
     * @param fmt the format
     * @param args the arguments
     * @return the formatted length, or {@code -EINVAL}
     */
    public int print(String fmt, Object[] args) {
        Object[] a = args == null ? new Object[0] : args;
        if (fmt == null || a.length > MAX_BPRINTF_VARARGS) {
            return -Errno.EINVAL;
        }
        List<Object> converted = new ArrayList<>(a.length);
        if (prepare(fmt, a, converted) < 0) {
            return -Errno.EINVAL;
        }
        String buf = vsprintf.sprintf(fmt, converted.toArray());
        int len = buf.getBytes(StandardCharsets.UTF_8).length;
        if (len > MAX_BPRINTF_BUF - 1) {
            buf = new String(buf.getBytes(StandardCharsets.UTF_8), 0, MAX_BPRINTF_BUF - 1, StandardCharsets.UTF_8);
        }
        output.bpf_trace_printk(buf);
        return len;
    }

    /**
     * {@code bpf_bprintf_prepare()}: checks the format and converts each argument as its conversion
     * reads it.
     *
     * @return 0 or -EINVAL
     */
    int prepare(String fmt, Object[] args, List<Object> out) {
        int n = fmt.length();
        int spec = 0;
        for (int i = 0; i < n; i++) {
            char c = fmt.charAt(i);
            if (c > 0x7f || (c < 0x20 && !Character.isWhitespace(c)) || c == 0x7f) {
                return -Errno.EINVAL;
            }
            if (c != '%') {
                continue;
            }
            if (at(fmt, i + 1) == '%') {
                i++;
                continue;
            }
            if (spec >= args.length) {
                return -Errno.EINVAL;
            }
            i++;
            while (at(fmt, i) == '0' || at(fmt, i) == '+' || at(fmt, i) == '-' || at(fmt, i) == ' ') {
                i++;
            }
            if (at(fmt, i) >= '1' && at(fmt, i) <= '9') {
                i++;
                while (at(fmt, i) >= '0' && at(fmt, i) <= '9') {
                    i++;
                }
            }
            Object arg = args[spec];
            char f = at(fmt, i);
            if (f == 'p') {
                char p1 = at(fmt, i + 1);
                if ((p1 == 'k' || p1 == 'u') && at(fmt, i + 2) == 's') {
                    i += 2;
                    if (!stringEnds(at(fmt, i + 1))) {
                        return -Errno.EINVAL;
                    }
                    out.add(string(arg));
                    spec++;
                    continue;
                }
                Long ptr = number(arg);
                if (ptr == null) {
                    return -Errno.EINVAL;
                }
                if (p1 == 0 || Character.isWhitespace(p1) || isPunct(p1) || p1 == 'K' || p1 == 'x' || p1 == 's'
                        || p1 == 'S' || p1 == 'B') {
                    out.add(ptr);
                    i += p1 == 0 || Character.isWhitespace(p1) || isPunct(p1) ? 0 : 1;
                    spec++;
                    continue;
                }
                if ((p1 != 'i' && p1 != 'I') || (at(fmt, i + 2) != '4' && at(fmt, i + 2) != '6')) {
                    return -Errno.EINVAL;
                }
                out.add(ptr);
                i += 2;
                spec++;
                continue;
            }
            if (f == 's') {
                if (!stringEnds(at(fmt, i + 1))) {
                    return -Errno.EINVAL;
                }
                out.add(string(arg));
                spec++;
                continue;
            }
            if (f == 'c') {
                Long v = number(arg);
                if (v == null) {
                    return -Errno.EINVAL;
                }
                out.add((char) (v & 0xff));
                spec++;
                continue;
            }
            int size = 4;
            if (f == 'l') {
                size = 8;
                f = at(fmt, ++i);
            }
            if (f == 'l') {
                f = at(fmt, ++i);
            }
            if (f != 'i' && f != 'd' && f != 'u' && f != 'x' && f != 'X') {
                return -Errno.EINVAL;
            }
            Long v = number(arg);
            if (v == null) {
                return -Errno.EINVAL;
            }
            out.add(size == 4 ? (Object) (int) (long) v : (Object) v);
            spec++;
        }
        return 0;
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }

    /** After {@code %s} may come only the end, a space or punctuation. */
    private static boolean stringEnds(char next) {
        return next == 0 || Character.isWhitespace(next) || isPunct(next);
    }

    /** C's {@code ispunct()} in the ASCII range. */
    private static boolean isPunct(char c) {
        return c > 0x20 && c < 0x7f && !Character.isLetterOrDigit(c);
    }

    /** An argument as the 64-bit register it would be in C; null for a type no register holds. */
    private static Long number(Object arg) {
        if (arg instanceof Number num) {
            return num.longValue();
        }
        if (arg instanceof Character ch) {
            return (long) ch;
        }
        if (arg instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        return null;
    }

    /** A {@code %s} argument: a string as is; an address read from kernel memory (empty on a fault). */
    private String string(Object arg) {
        if (arg instanceof String s) {
            return s;
        }
        Long ptr = number(arg);
        if (ptr == null) {
            return "";
        }
        String s = kernelString.apply(ptr, MAX_BPRINTF_STR_LEN);
        return s == null ? "" : s;
    }
}
