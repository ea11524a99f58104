package dev.ksim.kernel.trace;

import dev.ksim.sdk.Errno;
import java.util.List;

/**
 * {@code __trace_kprobe_create()} ({@code kernel/trace/trace_kprobe.c}): parses
 * {@code p[:[GRP/]EVENT] [MOD:]SYM[+offs]|MEMADDR [FETCHARGS]} and
 * {@code r[MAXACTIVE][:[GRP/]EVENT] [MOD:]SYM[+0] [FETCHARGS]} (or {@code SYM%return}) into a probe to create.
 *
 * @param isReturn a kretprobe
 * @param maxactive MAXACTIVE, 0 for the default
 * @param group the group
 * @param event the event name
 * @param symbol the symbol ({@code MOD:SYM} allowed), or null for an address
 * @param offset the offset from the symbol
 * @param addr the address when there is no symbol
 * @param args the fetch arguments
 */
record KprobeCommand(boolean isReturn, int maxactive, String group, String event, String symbol, long offset,
        long addr, List<ProbeArg> args) {
    /** {@code KRETPROBE_MAXACTIVE_MAX}. */
    static final int KRETPROBE_MAXACTIVE_MAX = 4096;
    /** {@code MAX_EVENT_NAME_LEN}. */
    static final int MAX_EVENT_NAME_LEN = 64;
    /** {@code MAX_TRACE_ARGS}. */
    static final int MAX_TRACE_ARGS = 128;
    /** {@code KPROBE_EVENT_SYSTEM}. */
    static final String GROUP = "kprobes";

    /** What the parser asks of the kernel. */
    interface Kernel extends ProbeSyntax {
        /** @return {@code kprobe_on_func_entry(NULL, sym, offset)}: 0, -EINVAL (not an entry) or -ENOENT */
        int onFuncEntry(String symbol, long offset);

        /** @return an address as {@code %p} prints it (hashed on 4.15 and later) */
        String pointer(long addr);
    }

    /**
     * Parses a command already split into words.
     *
     * @param argv the words ({@code argv_split})
     * @param k the kernel
     * @return the probe to create
     * @throws ProbeError a silent {@code -EINVAL} for a command that is not a kprobe ({@code -ECANCELED}, or an
     *         error to log
     */
    static KprobeCommand parse(List<String> argv, Kernel k) throws ProbeError {
        String a0 = argv.get(0);
        boolean isReturn = ProbeSyntax.isReturn(argv);
        int colon = a0.indexOf(':', 1);
        String event = colon < 0 ? null : a0.substring(colon + 1);
        int maxactive = 0;
        if (a0.length() > 1 && Character.isDigit(a0.charAt(1))) {
            if (!isReturn) {
                throw new ProbeError(ProbeErrors.MAXACT_NO_KPROBE, 0, 1, -Errno.EINVAL);
            }
            String m = colon < 0 ? a0.substring(1) : a0.substring(1, colon);
            if (m.length() > MAX_EVENT_NAME_LEN - 1) {
                throw new ProbeError(ProbeErrors.BAD_MAXACT, 0, 1, -Errno.EINVAL);
            }
            Long v = Kstrto.uint(m);
            if (v == null || v == 0) {
                throw new ProbeError(ProbeErrors.BAD_MAXACT, 0, 1, -Errno.EINVAL);
            }
            if (v > KRETPROBE_MAXACTIVE_MAX) {
                throw new ProbeError(ProbeErrors.MAXACT_TOO_BIG, 0, 1, -Errno.EINVAL);
            }
            maxactive = (int) (long) v;
        }
        int flags = ProbeArgParser.FL_KERNEL;
        String symbol = null;
        long offset = 0;
        Long addr = Kstrto.ul(argv.get(1));
        if (addr == null) {
            String a1 = argv.get(1);
            if (a1.contains("/") && a1.contains(":")) {
                throw new ProbeError(null, 1, 0, -ProbeError.ECANCELED);
            }
            symbol = a1;
            int pct = k.returnSuffix() ? symbol.indexOf('%') : -1;
            if (pct >= 0) {
                if (symbol.substring(pct).equals("%return")) {
                    symbol = symbol.substring(0, pct);
                    isReturn = true;
                } else {
                    throw new ProbeError(ProbeErrors.BAD_ADDR_SUFFIX, 1, pct, -Errno.EINVAL);
                }
            }
            int sign = indexOfAny(symbol, "+-");
            if (sign >= 0) {
                Long off = Kstrto.l(symbol.substring(sign));
                if (off == null || off < 0 || off > 0xffffffffL) {
                    throw new ProbeError(ProbeErrors.BAD_PROBE_ADDR, 1, 0, -Errno.EINVAL);
                }
                offset = off;
                symbol = symbol.substring(0, sign);
            }
            if (isReturn) {
                flags |= ProbeArgParser.FL_RETURN;
            }
            int r = k.onFuncEntry(symbol, offset);
            if (r == 0) {
                flags |= ProbeArgParser.FL_FENTRY;
            }
            if (r == -Errno.EINVAL && isReturn) {
                throw new ProbeError(ProbeErrors.BAD_RETPROBE, 1, 0, -Errno.EINVAL);
            }
        }
        String group = GROUP;
        if (event != null) {
            String[] ge = parseEventName(event, colon + 1, 0);
            if (ge[0] != null) {
                group = ge[0];
            }
            event = ge[1];
        } else {
            String buf = symbol != null ? (isReturn ? 'r' : 'p') + "_" + symbol + "_" + offset
                    : (isReturn ? 'r' : 'p') + "_0x" + k.pointer(addr);
            event = sanitize(buf.length() > MAX_EVENT_NAME_LEN - 1 ? buf.substring(0, MAX_EVENT_NAME_LEN - 1) : buf);
        }
        return new KprobeCommand(isReturn, maxactive, group, event, symbol, offset, addr == null ? 0 : addr,
                k.parseArgs(argv, flags));
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@code sanitize_event_name()}: {@code :} and {@code .} after the first character become {@code _}. */
    static String sanitize(String name) {
        return name.isEmpty() ? name : name.charAt(0) + name.substring(1).replace(':', '_').replace('.', '_');
    }

    /**
     * {@code traceprobe_parse_event_name()}: {@code [GRP/]EVENT} (or {@code GRP.EVENT}).
     *
     * @param event the text after the colon
     * @param offset where it starts in word 0
     * @param index the word (0)
     * @return {group or null, event}
     * @throws ProbeError as the kernel rejects the names
     */
    static String[] parseEventName(String event, int offset, int index) throws ProbeError {
        int slash = event.indexOf('/');
        if (slash < 0) {
            slash = event.indexOf('.');
        }
        String group = null;
        if (slash >= 0) {
            if (slash == 0) {
                throw new ProbeError(ProbeErrors.NO_GROUP_NAME, index, offset, -Errno.EINVAL);
            }
            if (slash + 1 > MAX_EVENT_NAME_LEN) {
                throw new ProbeError(ProbeErrors.GROUP_TOO_LONG, index, offset, -Errno.EINVAL);
            }
            group = event.substring(0, slash);
            if (!ProbeArgParser.isGoodName(group)) {
                throw new ProbeError(ProbeErrors.BAD_GROUP_NAME, index, offset, -Errno.EINVAL);
            }
            offset += slash + 1;
            event = event.substring(slash + 1);
        }
        if (event.isEmpty()) {
            throw new ProbeError(ProbeErrors.NO_EVENT_NAME, index, offset, -Errno.EINVAL);
        } else if (event.length() > MAX_EVENT_NAME_LEN) {
            throw new ProbeError(ProbeErrors.EVENT_TOO_LONG, index, offset, -Errno.EINVAL);
        }
        if (!ProbeArgParser.isGoodName(event)) {
            throw new ProbeError(ProbeErrors.BAD_EVENT_NAME, index, offset, -Errno.EINVAL);
        }
        return new String[] {group, event};
    }
}
