package dev.ksim.kernel.trace;

import dev.ksim.sdk.Errno;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code traceprobe_parse_probe_arg()} and its helpers ({@code kernel/trace/trace_probe.c}): parses
 * {@code [NAME=]FETCHARG[:TYPE]} and reports errors with the kernel's messages at the kernel's caret positions.
 */
final class ProbeArgParser {
    /** {@code TPARG_FL_RETURN}. */
    static final int FL_RETURN = 1;
    /** {@code TPARG_FL_KERNEL}. */
    static final int FL_KERNEL = 2;
    /** {@code TPARG_FL_FENTRY}. */
    static final int FL_FENTRY = 4;

    /** {@code MAX_ARG_NAME_LEN}. */
    static final int MAX_ARG_NAME_LEN = 32;
    /** {@code MAX_ARGSTR_LEN}. */
    static final int MAX_ARGSTR_LEN = 63;
    /** {@code MAX_ARRAY_LEN}. */
    static final int MAX_ARRAY_LEN = 64;
    /** {@code FETCH_INSN_MAX}: the code buffer of one argument; the last slot is {@code FETCH_OP_END}. */
    static final int FETCH_INSN_MAX = 16;
    /** {@code PARAM_MAX_STACK}: {@code THREAD_SIZE / sizeof(unsigned long)}. */
    static final long PARAM_MAX_STACK = 16384 / 8;

    private static final Set<String> RESERVED = Set.of("common_type", "common_flags", "common_preempt_count",
            "common_pid", "common_tgid", "__probe_ip", "__probe_ret_ip", "__probe_func");

    private final int index;
    private final Predicate<String> isRegister;
    private final boolean legacy;

    /**
     * @param index the command word being parsed (for the error log)
     * @param isRegister {@code regs_query_register_offset() >= 0}
     * @param legacy a kernel before 4.17 (type table)
     */
    ProbeArgParser(int index, Predicate<String> isRegister, boolean legacy) {
        this.index = index;
        this.isRegister = isRegister;
        this.legacy = legacy;
    }

    private ProbeError err(int offset, String text) {
        return new ProbeError(text, index, offset, -Errno.EINVAL);
    }

    /** {@code is_good_name()}: a C identifier. */
    static boolean isGoodName(String name) {
        if (name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')
                || name.charAt(0) > 127) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 127 || !(Character.isLetterOrDigit(c) || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** {@code traceprobe_conflict_field_name()}: a reserved field name or one an earlier argument has. */
    static boolean conflicts(String name, List<ProbeArg> previous) {
        return RESERVED.contains(name) || previous.stream().anyMatch(p -> p.name().equals(name));
    }

    /**
     * Parses argument {@code i}.
     *
     * @param i the argument's number, 0-based (it names {@code arg<i+1>})
     * @param arg the text
     * @param flags {@code TPARG_FL_*}
     * @param previous the arguments before it
     * @return the argument
     * @throws ProbeError as the kernel rejects it
     */
    ProbeArg parse(int i, String arg, int flags, List<ProbeArg> previous) throws ProbeError {
        int eq = arg.indexOf('=');
        String name;
        String body;
        if (eq >= 0) {
            if (eq > MAX_ARG_NAME_LEN) {
                throw err(0, ProbeErrors.ARG_NAME_TOO_LONG);
            } else if (eq == 0) {
                throw err(0, ProbeErrors.NO_ARG_NAME);
            }
            name = arg.substring(0, eq);
            body = arg.substring(eq + 1);
        } else {
            name = "arg" + (i + 1);
            body = arg;
        }
        if (!isGoodName(name)) {
            throw err(0, ProbeErrors.BAD_ARG_NAME);
        }
        if (conflicts(name, previous)) {
            throw err(0, ProbeErrors.USED_ARG_NAME);
        }
        return parseBody(name, body, flags, eq < 0 ? 0 : eq + 1);
    }

    /**
     * {@code traceprobe_parse_probe_arg_body()}: the part after {@code NAME=}.
     *
     * @param name the argument's name
     * @param body the fetch argument and type
     * @param flags {@code TPARG_FL_*}
     * @param offset where the body starts in its word (for the caret)
     * @return the argument
     * @throws ProbeError as the kernel rejects it
     */
    ProbeArg parseBody(String name, String body, int flags, int offset) throws ProbeError {
        if (body.length() > MAX_ARGSTR_LEN) {
            throw err(offset, ProbeErrors.ARG_TOO_LONG);
        } else if (body.isEmpty()) {
            throw err(offset, ProbeErrors.NO_ARG_BODY);
        }
        String arg = body;
        String t = null;
        int tAt = 0;
        int count = 0;
        int colon = body.indexOf(':');
        if (colon >= 0) {
            arg = body.substring(0, colon);
            t = body.substring(colon + 1);
            tAt = colon + 1;
            int lb = t.indexOf('[');
            if (lb >= 0) {
                int t2At = tAt + lb + 1;
                String t2 = t.substring(lb + 1);
                t = t.substring(0, lb);
                int rb = t2.indexOf(']');
                if (rb < 0) {
                    throw err(offset + t2At + t2.length(), ProbeErrors.ARRAY_NO_CLOSE);
                } else if (rb + 1 != t2.length()) {
                    throw err(offset + t2At + rb + 1, ProbeErrors.BAD_ARRAY_SUFFIX);
                }
                Long n = Kstrto.uint(t2.substring(0, rb));
                if (n == null || n == 0) {
                    throw err(offset + t2At, ProbeErrors.BAD_ARRAY_NUM);
                }
                if (n > MAX_ARRAY_LEN) {
                    throw err(offset + t2At, ProbeErrors.ARRAY_TOO_BIG);
                }
                count = (int) (long) n;
            }
        }
        FetchType type;
        if (arg.equals("$comm") || arg.startsWith("\\\"")) {
            // The type of $comm and of an immediate string must be "string", and not an array: a plain -EINVAL.
            if (count != 0 || (t != null && !t.equals("string"))) {
                throw ProbeError.silent(-Errno.EINVAL);
            }
            type = FetchType.find("string", legacy);
        } else {
            type = FetchType.find(t, legacy);
        }
        if (type == null) {
            throw err(offset + (t != null ? tAt : 0), ProbeErrors.BAD_TYPE);
        }
        Code code = new Code();
        parseProbeArg(arg, flags, offset, code);
        boolean memoryStore;
        if (type.isString()) {
            ProbeArg.Op op = code.base.op();
            boolean deref = !code.derefs.isEmpty();
            if (!deref && op != ProbeArg.Op.IMM && op != ProbeArg.Op.COMM && op != ProbeArg.Op.DATA) {
                throw err(offset + (t != null ? tAt : 0), ProbeErrors.BAD_STRING);
            }
            if (!deref || count != 0) {
                code.next(offset);
            }
            memoryStore = deref;
        } else if (!code.derefs.isEmpty()) {
            memoryStore = true;
        } else {
            code.next(offset);
            memoryStore = false;
        }
        int bw = 0;
        int bo = 0;
        if (t != null && t.startsWith("b")) {
            int[] bf = parseBitfield(t, type);
            if (bf == null) {
                throw err(offset + tAt, ProbeErrors.BAD_BITFIELD);
            }
            code.pos++;
            bw = bf[0];
            bo = bf[1];
        }
        if (count != 0) {
            if (!memoryStore) {
                throw err(offset + (t != null ? tAt : 0), ProbeErrors.BAD_STRING);
            }
            code.next(offset);
        }
        return new ProbeArg(name, body, type, count, code.base, List.copyOf(code.derefs), memoryStore, bw, bo);
    }

    /** {@code __parse_bitfield_probe_arg()}: {@code b<width>@<offset>/<container>}, checked against the container. */
    private static int[] parseBitfield(String bf, FetchType t) {
        int i = 1;
        int start = i;
        while (i < bf.length() && Character.isDigit(bf.charAt(i))) {
            i++;
        }
        long bw = i == start ? 0 : Long.parseLong(bf.substring(start, i));
        if (bw == 0 || i >= bf.length() || bf.charAt(i) != '@') {
            return null;
        }
        start = ++i;
        while (i < bf.length() && Character.isDigit(bf.charAt(i))) {
            i++;
        }
        if (i == start || i >= bf.length() || bf.charAt(i) != '/') {
            return null;
        }
        long bo = Long.parseLong(bf.substring(start, i));
        if (t.size() * 8L < bw + bo) {
            return null;
        }
        return new int[] {(int) bw, (int) bo};
    }

    /** The code buffer being filled: the base, the dereferences and the slot count ({@code FETCH_INSN_MAX}). */
    private final class Code {
        ProbeArg.Base base;
        final List<ProbeArg.Deref> derefs = new ArrayList<>();
        /** Index of the current instruction in the kernel's buffer. */
        int pos;

        /** {@code if (++code == end)}: one more instruction, or TOO_MANY_OPS. */
        void next(int offs) throws ProbeError {
            if (++pos >= FETCH_INSN_MAX - 1) {
                throw err(offs, ProbeErrors.TOO_MANY_OPS);
            }
        }
    }

    /** {@code parse_probe_arg()}: recursive. */
    private void parseProbeArg(String arg, int flags, int offs, Code code) throws ProbeError {
        if (arg.isEmpty()) {
            throw err(offs, ProbeErrors.BAD_FETCH_ARG);
        }
        switch (arg.charAt(0)) {
            case '$' -> code.base = parseVars(arg.substring(1), flags, offs);
            case '%' -> {
                if (!isRegister.test(arg.substring(1))) {
                    throw err(offs, ProbeErrors.BAD_REG_NAME);
                }
                code.base = new ProbeArg.Base(ProbeArg.Op.REG, arg.substring(1), 0);
            }
            case '@' -> {
                if (arg.length() > 1 && Character.isDigit(arg.charAt(1))) {
                    Long a = Kstrto.ul(arg.substring(1));
                    if (a == null) {
                        throw err(offs, ProbeErrors.BAD_MEM_ADDR);
                    }
                    code.base = new ProbeArg.Base(ProbeArg.Op.IMM, null, a);
                } else if (arg.length() > 1 && arg.charAt(1) == '+') {
                    if ((flags & FL_KERNEL) != 0) {
                        throw err(offs, ProbeErrors.FILE_ON_KPROBE);
                    }
                    Long o = Kstrto.l(arg.substring(2));
                    if (o == null) {
                        throw err(offs, ProbeErrors.BAD_FILE_OFFS);
                    }
                    code.base = new ProbeArg.Base(ProbeArg.Op.FOFFS, null, o);
                } else {
                    if ((flags & FL_KERNEL) == 0) {
                        throw err(offs, ProbeErrors.SYM_ON_UPROBE);
                    }
                    code.base = new ProbeArg.Base(ProbeArg.Op.SYMBOL, arg.substring(1), 0);
                    code.next(offs);
                }
                code.next(offs);
                code.derefs.add(new ProbeArg.Deref(0, false));
            }
            case '+', '-' -> parseDeref(arg, flags, offs, code);
            case '\\' -> {
                if (arg.length() > 1 && arg.charAt(1) == '"') {
                    String str = arg.substring(2);
                    if (str.isEmpty() || str.charAt(str.length() - 1) != '"') {
                        throw err(offs + 2 + str.length(), ProbeErrors.IMMSTR_NO_CLOSE);
                    }
                    code.base = new ProbeArg.Base(ProbeArg.Op.DATA, str.substring(0, str.length() - 1), 0);
                } else {
                    Long v = immediate(arg.substring(1));
                    if (v == null) {
                        throw err(offs + 1, ProbeErrors.BAD_IMM);
                    }
                    code.base = new ProbeArg.Base(ProbeArg.Op.IMM, null, v);
                }
            }
            default -> throw err(offs, ProbeErrors.BAD_FETCH_ARG);
        }
    }

    /** {@code str_to_immediate()}. */
    private static Long immediate(String s) {
        if (s.isEmpty()) {
            return null;
        }
        if (Character.isDigit(s.charAt(0))) {
            return Kstrto.ul(s);
        } else if (s.charAt(0) == '-') {
            return Kstrto.l(s);
        } else if (s.charAt(0) == '+') {
            return Kstrto.l(s.substring(1));
        }
        return null;
    }

    /** The {@code +|-[u]OFFS(FETCHARG)} case, with the kernel's pointer arithmetic for the caret. */
    private void parseDeref(String arg, int flags, int offs, Code code) throws ProbeError {
        boolean user = false;
        if (arg.length() > 1 && arg.charAt(1) == 'u') {
            user = true;
            arg = arg.charAt(0) + arg.substring(2);
        }
        if (arg.charAt(0) == '+') {
            arg = arg.substring(1);
        }
        int lp = arg.indexOf('(');
        if (lp < 0) {
            throw err(offs, ProbeErrors.DEREF_NEED_BRACE);
        }
        Long offset = Kstrto.l(arg.substring(0, lp));
        if (offset == null) {
            throw err(offs, ProbeErrors.BAD_DEREF_OFFS);
        }
        offs += (lp + 1) + (arg.charAt(0) != '-' ? 1 : 0);
        String inner = arg.substring(lp + 1);
        int rp = inner.lastIndexOf(')');
        if (rp < 0) {
            throw err(offs + inner.length(), ProbeErrors.DEREF_OPEN_BRACE);
        }
        parseProbeArg(inner.substring(0, rp), flags, offs, code);
        if (code.derefs.isEmpty() && (code.base.op() == ProbeArg.Op.COMM || code.base.op() == ProbeArg.Op.DATA)) {
            throw err(offs, ProbeErrors.COMM_CANT_DEREF);
        }
        code.next(offs);
        code.derefs.add(new ProbeArg.Deref(offset, user));
    }

    /** {@code parse_probe_vars()}: the {@code $} variables. */
    private ProbeArg.Base parseVars(String arg, int flags, int offs) throws ProbeError {
        if (arg.equals("retval")) {
            if ((flags & FL_RETURN) == 0) {
                throw err(offs, ProbeErrors.RETVAL_ON_PROBE);
            }
            return new ProbeArg.Base(ProbeArg.Op.RETVAL, null, 0);
        }
        if (arg.startsWith("stack")) {
            String n = arg.substring(5);
            if (n.isEmpty()) {
                return new ProbeArg.Base(ProbeArg.Op.STACKP, null, 0);
            }
            if (!Character.isDigit(n.charAt(0))) {
                throw err(offs, ProbeErrors.BAD_VAR);
            }
            Long v = decimal(n);
            if (v == null) {
                throw err(offs, ProbeErrors.BAD_VAR);
            }
            if ((flags & FL_KERNEL) != 0 && v > PARAM_MAX_STACK) {
                throw err(offs, ProbeErrors.BAD_STACK_NUM);
            }
            return new ProbeArg.Base(ProbeArg.Op.STACK, null, v);
        }
        if (arg.equals("comm")) {
            return new ProbeArg.Base(ProbeArg.Op.COMM, null, 0);
        }
        if ((flags & (FL_KERNEL | FL_FENTRY | FL_RETURN)) == (FL_KERNEL | FL_FENTRY) && arg.startsWith("arg")
                && !legacy) {
            Long v = decimal(arg.substring(3));
            if (v == null) {
                throw err(offs, ProbeErrors.BAD_VAR);
            }
            if (v == 0 || v > PARAM_MAX_STACK) {
                throw err(offs, ProbeErrors.BAD_ARG_NUM);
            }
            return new ProbeArg.Base(ProbeArg.Op.ARG, null, v - 1);
        }
        throw err(offs, ProbeErrors.BAD_VAR);
    }

    /** {@code kstrtoul(s, 10, …)}. */
    private static Long decimal(String s) {
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.startsWith("+")) {
            s = s.substring(1);
        }
        if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(s);
    }
}
