package dev.ksim.kernel.trace;

import dev.ksim.sdk.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code __trace_uprobe_create()} ({@code kernel/trace/trace_uprobe.c}): parses
 * {@code p[:[GRP/]EVENT] PATH:OFFSET[%return] [FETCHARGS]} and {@code r[:[GRP/]EVENT] PATH:OFFSET [FETCHARGS]}.
 *
 * @param isReturn a uretprobe
 * @param group the group ({@code uprobes} by default)
 * @param event the event name ({@code p_<basename>_0x<offset>} by default)
 * @param path the probed file
 * @param offset the offset in it
 * @param args the fetch arguments
 */
record UprobeCommand(boolean isReturn, String group, String event, String path, long offset, List<ProbeArg> args) {
    /** {@code UPROBE_EVENT_SYSTEM}. */
    static final String GROUP = "uprobes";

    /** What the parser asks of the kernel. */
    interface Kernel {
        /** @return 0 for a regular file, 1 for another kind of file, -ENOENT when there is none */
        int stat(String path);

        /** @return whether {@code %NAME} is a register of this architecture */
        boolean isRegister(String name);

        /** @return whether the kernel predates the 4.17 fetch-type table */
        boolean legacy();
    }

    /**
     * @param argv the words
     * @param k the kernel
     * @return the probe to create
     * @throws ProbeError {@code -ECANCELED} (not a uprobe command) or an error to log
     */
    static UprobeCommand parse(List<String> argv, Kernel k) throws ProbeError {
        String a0 = argv.get(0);
        boolean isReturn;
        switch (a0.charAt(0)) {
            case 'r' -> isReturn = true;
            case 'p' -> isReturn = false;
            default -> throw new ProbeError(null, 0, 0, -ProbeError.ECANCELED);
        }
        if (argv.size() < 2) {
            throw new ProbeError(null, 0, 0, -ProbeError.ECANCELED);
        }
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
        int pct = arg.indexOf('%');
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
        int flags = isReturn ? ProbeArgParser.FL_RETURN : 0;
        List<ProbeArg> args = new ArrayList<>();
        for (int i = 0; i + 2 < argv.size() && i < KprobeCommand.MAX_TRACE_ARGS; i++) {
            Predicate<String> reg = k::isRegister;
            args.add(new ProbeArgParser(i + 2, reg, k.legacy()).parse(i, argv.get(i + 2), flags, args));
        }
        return new UprobeCommand(isReturn, group, event, path, offset, List.copyOf(args));
    }
}
