package dev.ksim.kernel.trace;

import dev.ksim.sdk.Errno;
import java.util.List;

/**
 * {@code __trace_uprobe_create()} ({@code kernel/trace/trace_uprobe.c}): parses
 * {@code p[:[GRP/]EVENT] PATH:OFFSET[%return] [FETCHARGS]} and {@code r[:[GRP/]EVENT] PATH:OFFSET [FETCHARGS]}.
 *
 * @param isReturn a uretprobe
 * @param group the group ({@code uprobes} by default)
 * @param event the event name ({@code p_<basename>_0x<offset>} by default)
 * @param path the probed file
 * @param offset the offset in it
 * @param refCtrOffset the SDT semaphore's offset ({@code PATH:OFFSET(REF_CTR_OFFSET)}), 0 when none
 * @param args the fetch arguments
 */
record UprobeCommand(boolean isReturn, String group, String event, String path, long offset, long refCtrOffset,
        List<ProbeArg> args) {
    /** {@code UPROBE_EVENT_SYSTEM}. */
    static final String GROUP = "uprobes";

    /** What the parser asks of the kernel. */
    interface Kernel extends ProbeSyntax {
        /** @return 0 for a regular file, 1 for another kind of file, -ENOENT when there is none */
        int stat(String path);
    }

    /**
     * @param argv the words
     * @param k the kernel
     * @return the probe to create
     * @throws ProbeError {@code -ECANCELED} (not a uprobe command) or an error to log
     */
    static UprobeCommand parse(List<String> argv, Kernel k) throws ProbeError {
        String a0 = argv.get(0);
        boolean isReturn = ProbeSyntax.isReturn(argv);
        String event = a0.length() > 1 && a0.charAt(1) == ':' ? a0.substring(2) : null;
        String a1 = argv.get(1);
        if (!a1.contains("/")) {
            throw new ProbeError(null, 1, 0, -ProbeError.ECANCELED);
        }
        int colon = a1.lastIndexOf(':');
        if (colon < 0 || colon + 1 >= a1.length() || !Character.isDigit(a1.charAt(colon + 1))) {
            throw new ProbeError(null, 1, 0, -ProbeError.ECANCELED);
        }
        String path = a1.substring(0, colon);
        String arg = a1.substring(colon + 1);
        int st = k.stat(path);
        if (st < 0) {
            throw new ProbeError(ProbeErrors.FILE_NOT_FOUND, 1, 0, st);
        }
        if (st != 0) {
            throw new ProbeError(ProbeErrors.NO_REGULAR_FILE, 1, 0, -Errno.EINVAL);
        }
        long refCtr = 0;
        int lp = arg.indexOf('(');
        if (lp >= 0) {
            int at = colon + 1;
            int rp = arg.indexOf(')', lp);
            if (rp < 0) {
                throw new ProbeError(ProbeErrors.REFCNT_OPEN_BRACE, 1, at + arg.length(), -Errno.EINVAL);
            } else if (rp + 1 != arg.length()) {
                throw new ProbeError(ProbeErrors.BAD_REFCNT_SUFFIX, 1, at + rp + 1, -Errno.EINVAL);
            }
            Long r = Kstrto.ul(arg.substring(lp + 1, rp));
            if (r == null) {
                throw new ProbeError(ProbeErrors.BAD_REFCNT, 1, at + lp + 1, -Errno.EINVAL);
            }
            refCtr = r;
            arg = arg.substring(0, lp);
        }
        int pct = k.returnSuffix() ? arg.indexOf('%') : -1;
        if (pct >= 0) {
            if (arg.substring(pct).equals("%return")) {
                arg = arg.substring(0, pct);
                isReturn = true;
            } else {
                throw new ProbeError(ProbeErrors.BAD_ADDR_SUFFIX, 1, colon + 1 + pct, -Errno.EINVAL);
            }
        }
        Long offset = Kstrto.ul(arg);
        if (offset == null) {
            throw new ProbeError(ProbeErrors.BAD_UPROBE_OFFS, 1, colon + 1, -Errno.EINVAL);
        }
        String group = GROUP;
        if (event != null) {
            String[] ge = KprobeCommand.parseEventName(event, 2, 0);
            if (ge[0] != null) {
                group = ge[0];
            }
            event = ge[1];
        } else {
            String tail = path.substring(path.lastIndexOf('/') + 1);
            for (int i = 0; i < tail.length(); i++) {
                if (".-_".indexOf(tail.charAt(i)) >= 0) {
                    tail = tail.substring(0, i);
                    break;
                }
            }
            event = "p_" + tail + "_0x" + Long.toHexString(offset);
            if (event.length() > KprobeCommand.MAX_EVENT_NAME_LEN - 1) {
                event = event.substring(0, KprobeCommand.MAX_EVENT_NAME_LEN - 1);
            }
        }
        return new UprobeCommand(isReturn, group, event, path, offset, refCtr,
                k.parseArgs(argv, isReturn ? ProbeArgParser.FL_RETURN : 0));
    }
}
