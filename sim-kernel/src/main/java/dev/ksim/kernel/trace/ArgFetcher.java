package dev.ksim.kernel.trace;

/**
 * Runs a parsed argument's fetch program against a hit ({@code process_fetch_insn} and
 * {@code process_fetch_insn_bottom}) and prints the values as the type's print function does: numbers by type,
 * strings quoted or {@code (fault)}, arrays as {@code {a,b,…}}.
 */
final class ArgFetcher {
    private ArgFetcher() {
    }

    /**
     * Fetches an argument's values.
     *
     * @param arg the argument
     * @param ctx the hit
     * @param symbolAddress the resolved address of an {@code @SYM} argument
     * @return one value per element (one for a scalar): a {@code Long} (already cut to the type's size and
     *         bitfield), a {@code String}, or null for a string that faulted
     */
    static Object[] fetch(ProbeArg arg, FetchContext ctx, long symbolAddress) {
        Long addr = base(arg.base(), ctx, symbolAddress);
        int last = arg.derefs().size() - 1;
        for (int i = 0; i < last && addr != null; i++) {
            ProbeArg.Deref d = arg.derefs().get(i);
            addr = ctx.read(addr + d.offset(), 8, d.user() || ctx.userSpace());
        }
        Object[] values = new Object[Math.max(1, arg.count())];
        for (int k = 0; k < values.length; k++) {
            values[k] = element(arg, ctx, addr, last, k);
        }
        return values;
    }

    /**
     * Prints fetched values as the type's print function does: {@code name=value} or {@code name={a,b}}.
     *
     * @param arg the argument
     * @param values its values
     * @param legacy a kernel before 4.17 (unsigned types print in hex)
     * @param symbols {@code %pS}
     * @return the text
     */
    static String print(ProbeArg arg, Object[] values, boolean legacy, java.util.function.LongFunction<String> symbols) {
        StringBuilder b = new StringBuilder(arg.name()).append('=');
        if (arg.count() > 0) {
            b.append('{');
        }
        for (int k = 0; k < values.length; k++) {
            if (k > 0) {
                b.append(',');
            }
            Object v = values[k];
            if (arg.type().isString()) {
                b.append(v == null ? "(fault)" : "\"" + v + "\"");
            } else {
                b.append(arg.type().print((Long) v, legacy, symbols));
            }
        }
        if (arg.count() > 0) {
            b.append('}');
        }
        return b.toString();
    }

    private static Object element(ProbeArg arg, FetchContext ctx, Long addr, int last, int k) {
        FetchType t = arg.type();
        if (addr == null) {
            return t.isString() ? null : 0L;
        }
        boolean user = last >= 0 && arg.derefs().get(last).user() || ctx.userSpace()
                || t.kind() == FetchType.Kind.USTRING;
        if (t.isString()) {
            Long strAddr;
            if (arg.memoryStore() && arg.count() == 0) {
                strAddr = addr + arg.derefs().get(last).offset();
            } else if (arg.memoryStore()) {
                // An array of strings is an array of pointers to them.
                strAddr = ctx.read(addr + arg.derefs().get(last).offset() + 8L * k, 8, user);
            } else if (arg.base().op() == ProbeArg.Op.COMM) {
                return ctx.comm();
            } else if (arg.base().op() == ProbeArg.Op.DATA) {
                return arg.base().param();
            } else {
                strAddr = addr;
            }
            return strAddr == null ? null : ctx.readString(strAddr, user);
        }
        long v;
        if (arg.memoryStore()) {
            Long r = ctx.read(addr + arg.derefs().get(last).offset() + (long) t.size() * k, t.size(), user);
            if (r == null) {
                return 0L;
            }
            v = r;
        } else {
            v = addr;
        }
        if (arg.bitWidth() > 0) {
            int bits = t.size() * 8;
            int lshift = bits - (arg.bitWidth() + arg.bitOffset());
            int rshift = bits - arg.bitWidth();
            v = (v << (64 - bits + lshift)) >>> (64 - bits + rshift);
        }
        return t.size() == 8 ? v : v & ((1L << (t.size() * 8)) - 1);
    }

    private static Long base(ProbeArg.Base b, FetchContext ctx, long symbolAddress) {
        return switch (b.op()) {
            case REG -> ctx.register(b.param());
            case STACK -> ctx.read(ctx.stackPointer() + 8 * b.value(), 8, ctx.userSpace());
            case STACKP -> ctx.stackPointer();
            case RETVAL -> ctx.returnValue();
            case IMM -> b.value();
            case ARG -> ctx.argument((int) b.value());
            case SYMBOL -> symbolAddress;
            case FOFFS -> ctx.fileAddress(b.value());
            case COMM, DATA -> 0L;
        };
    }
}
