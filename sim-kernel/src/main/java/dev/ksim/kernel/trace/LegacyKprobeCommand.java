package dev.ksim.kernel.trace;

import dev.ksim.sdk.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * 4.14's {@code create_trace_kprobe()} ({@code kernel/trace/trace_kprobe.c} before the error log): the older
 * grammar ({@code +OFFS} only, no {@code %return}, no name checks on groups and events, MAXACTIVE only after
 * {@code r}) and its {@code pr_info} messages in the kernel log instead of {@code error_log} entries.
 */
final class LegacyKprobeCommand {
    /** The 4.14 form of a delete command: {@code -:[GRP/]EVENT}. */
    record Delete(String group, String event) {
    }

    private LegacyKprobeCommand() {
    }

    /**
     * Parses a command.
     *
     * @param argv the words
     * @param k the kernel's answers
     * @param info {@code pr_info("trace_kprobe: …")}: receives each message, without the prefix
     * @return a {@link KprobeCommand} to create or a {@link Delete}
     * @throws ProbeError with the errno the write returns (its message is already in the log)
     */
    static Object parse(List<String> argv, KprobeCommand.Kernel k, Consumer<String> info) throws ProbeError {
        String a0 = argv.get(0);
        char c = a0.charAt(0);
        if (c != 'p' && c != 'r' && c != '-') {
            throw fail(info, "Probe definition must be started with 'p', 'r' or '-'.", -Errno.EINVAL);
        }
        boolean isReturn = c == 'r';
        int colon = a0.indexOf(':', 1);
        String head = colon < 0 ? a0 : a0.substring(0, colon);
        String event = colon < 0 ? null : a0.substring(colon + 1);
        int maxactive = 0;
        if (isReturn && head.length() > 1 && Character.isDigit(head.charAt(1))) {
            Long m = Kstrto.uint(head.substring(1));
            if (m == null) {
                throw fail(info, "Failed to parse maxactive.", -Errno.EINVAL);
            }
            if (m > KprobeCommand.KRETPROBE_MAXACTIVE_MAX) {
                throw fail(info, "Maxactive is too big (" + m + " > " + KprobeCommand.KRETPROBE_MAXACTIVE_MAX + ").",
                        -Errno.E2BIG);
            }
            maxactive = (int) (long) m;
        }
        String group = null;
        if (event != null) {
            int slash = event.indexOf('/');
            if (slash >= 0) {
                group = event.substring(0, slash);
                event = event.substring(slash + 1);
                if (group.isEmpty()) {
                    throw fail(info, "Group name is not specified", -Errno.EINVAL);
                }
            }
            if (event.isEmpty()) {
                throw fail(info, "Event name is not specified", -Errno.EINVAL);
            }
        }
        if (group == null) {
            group = KprobeCommand.GROUP;
        }
        if (c == '-') {
            if (event == null) {
                throw fail(info, "Delete command needs an event name.", -Errno.EINVAL);
            }
            return new Delete(group, event);
        }
        if (argv.size() < 2) {
            throw fail(info, "Probe point is not specified.", -Errno.EINVAL);
        }
        String symbol = null;
        long offset = 0;
        Long addr = Kstrto.ul(argv.get(1));
        if (addr == null) {
            symbol = argv.get(1);
            int plus = symbol.indexOf('+');
            if (plus >= 0) {
                Long off = Kstrto.ul(symbol.substring(plus + 1));
                if (off == null || off > 0xffffffffL) {
                    throw fail(info, "Failed to parse either an address or a symbol.", -Errno.EINVAL);
                }
                offset = off;
                symbol = symbol.substring(0, plus);
            }
            if (offset != 0 && isReturn && k.onFuncEntry(symbol, offset) != 0) {
                throw fail(info, "Given offset is not valid for return probe.", -Errno.EINVAL);
            }
        }
        if (event == null) {
            String buf = symbol != null ? (isReturn ? 'r' : 'p') + "_" + symbol + "_" + offset
                    : (isReturn ? 'r' : 'p') + "_0x" + k.pointer(addr);
            event = KprobeCommand.sanitize(buf.length() > KprobeCommand.MAX_EVENT_NAME_LEN - 1
                    ? buf.substring(0, KprobeCommand.MAX_EVENT_NAME_LEN - 1) : buf);
        }
        int flags = ProbeArgParser.FL_KERNEL | (isReturn ? ProbeArgParser.FL_RETURN : 0)
                | (symbol != null && offset == 0 ? ProbeArgParser.FL_FENTRY : 0);
        List<ProbeArg> args = new ArrayList<>();
        for (int i = 0; i + 2 < argv.size() && i < KprobeCommand.MAX_TRACE_ARGS; i++) {
            String arg = argv.get(i + 2);
            int eq = arg.indexOf('=');
            String name = eq >= 0 ? arg.substring(0, eq) : "arg" + (i + 1);
            String body = eq >= 0 ? arg.substring(eq + 1) : arg;
            if (!ProbeArgParser.isGoodName(name)) {
                throw fail(info, "Invalid argument[" + i + "] name: " + name, -Errno.EINVAL);
            }
            if (ProbeArgParser.conflicts(name, args)) {
                throw fail(info, "Argument[" + i + "] name '" + (eq >= 0 ? name : arg) + "' conflicts with another "
                        + "field.", -Errno.EINVAL);
            }
            try {
                args.add(new ProbeArgParser(i + 2, k::isRegister, true).parseBody(name, body, flags, 0));
            } catch (ProbeError e) {
                throw fail(info, "Parse error at argument[" + i + "]. (" + e.errno + ")", e.errno);
            }
        }
        return new KprobeCommand(isReturn, maxactive, group, event, symbol, offset, addr == null ? 0 : addr,
                List.copyOf(args));
    }

    private static ProbeError fail(Consumer<String> info, String message, int errno) {
        info.accept(message);
        return ProbeError.silent(errno);
    }
}
