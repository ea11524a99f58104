package dev.ksim.kernel.trace;

import java.util.ArrayList;
import java.util.List;

/** What parsing a probe command asks of the kernel, and the parts kprobe and uprobe commands share. */
interface ProbeSyntax {
    /** @return whether {@code %NAME} is a register of this architecture */
    boolean isRegister(String name);

    /** @return whether the kernel predates the 4.17 fetch-type table */
    boolean legacy();

    /** @return whether {@code SYM%return} and {@code PATH:OFFSET%return} name return probes (5.11 and later) */
    boolean returnSuffix();

    /**
     * The command letter: {@code p} or {@code r}; anything else, or no second word, is not this kind of command
     * ({@code -ECANCELED}).
     *
     * @param argv the words
     * @return whether it is a return probe
     * @throws ProbeError {@code -ECANCELED}
     */
    static boolean isReturn(List<String> argv) throws ProbeError {
        char c = argv.get(0).charAt(0);
        if ((c != 'p' && c != 'r') || argv.size() < 2) {
            throw new ProbeError(null, 0, 0, -ProbeError.ECANCELED);
        }
        return c == 'r';
    }

    /**
     * Parses the fetch arguments after the first two words (at most {@code MAX_TRACE_ARGS}).
     *
     * @param argv the words
     * @param flags {@code TPARG_FL_*}
     * @return the arguments
     * @throws ProbeError as the kernel rejects one
     */
    default List<ProbeArg> parseArgs(List<String> argv, int flags) throws ProbeError {
        List<ProbeArg> args = new ArrayList<>();
        for (int i = 0; i + 2 < argv.size() && i < KprobeCommand.MAX_TRACE_ARGS; i++) {
            args.add(new ProbeArgParser(i + 2, this::isRegister, legacy()).parse(i, argv.get(i + 2), flags, args));
        }
        return List.copyOf(args);
    }
}
