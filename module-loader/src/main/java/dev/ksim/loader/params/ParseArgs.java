package dev.ksim.loader.params;

import dev.ksim.sdk.Errno;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * {@code parse_args()} of {@code kernel/params.c} for a module: splits the option string as
 * {@code next_arg()} does (spaces separate, double quotes group, {@code --} ends the options), sets each
 * known parameter ({@code -} and {@code _} are the same in names), warns about unknown ones, keeps going
 * after an error and returns the last one.
 */
public final class ParseArgs {
    private ParseArgs() {
    }

    /**
     * Parses a module's options and sets its parameters.
     *
     * @param doing the module's name (the messages' prefix)
     * @param args the options as insmod joined them ({@code "symbol=vfs_read verbose"})
     * @param params the module's parameters
     * @param printk the kernel log: {@code (format, args)}
     * @return 0 or the last negative errno
     */
    public static int parse(String doing, String args, List<BoundParam> params, BiConsumer<String, Object[]> printk) {
        int err = 0;
        int i = skipSpaces(args, 0);
        while (i < args.length()) {
            Arg a = nextArg(args, i);
            i = a.next;
            if (a.val == null && a.param.equals("--")) {
                if (i < args.length()) {
                    printk.accept("\0014%s: parameters '%s' after `--' ignored\n", new Object[] {doing, args.substring(i)});
                }
                return err;
            }
            int ret = parseOne(doing, a.param, a.val, params, printk);
            switch (ret == 0 ? 0 : -ret) {
                case 0 -> {
                    continue;
                }
                case Errno.ENOENT -> printk.accept("\0013%s: Unknown parameter `%s'\n", new Object[] {doing, a.param});
                case Errno.ENOSPC -> printk.accept("\0013%s: `%s' too large for parameter `%s'\n",
                        new Object[] {doing, a.val == null ? "" : a.val, a.param});
                default -> printk.accept("\0013%s: `%s' invalid for parameter `%s'\n",
                        new Object[] {doing, a.val == null ? "" : a.val, a.param});
            }
            err = ret;
        }
        return err;
    }

    private static int parseOne(String doing, String param, String val, List<BoundParam> params,
            BiConsumer<String, Object[]> printk) {
        for (BoundParam p : params) {
            if (parameq(param, p.spec().name())) {
                if (val == null && !p.spec().type().noArg()) {
                    return -Errno.EINVAL;
                }
                return p.set(val, printk);
            }
        }
        // unknown_module_param_cb: async_probe and dyndbg are the kernel's own; anything else is ignored.
        if (!param.equals("async_probe") && !param.equals("dyndbg") && !param.endsWith(".dyndbg")) {
            printk.accept("\0014%s: unknown parameter '%s' ignored\n", new Object[] {doing, param});
        }
        return 0;
    }

    /** {@code parameq}: names compare equal with {@code -} and {@code _} interchangeable. */
    static boolean parameq(String a, String b) {
        return a.replace('-', '_').equals(b.replace('-', '_'));
    }

    private record Arg(String param, String val, int next) {
    }

    /** {@code next_arg()}, returning the position after the trailing spaces. */
    private static Arg nextArg(String args, int start) {
        int s = start;
        boolean inQuote = false;
        boolean quoted = false;
        if (args.charAt(s) == '"') {
            s++;
            inQuote = true;
            quoted = true;
        }
        int equals = -1;
        int i = s;
        for (; i < args.length(); i++) {
            char c = args.charAt(i);
            if (Character.isWhitespace(c) && !inQuote) {
                break;
            }
            if (equals < 0 && c == '=') {
                equals = i;
            }
            if (c == '"') {
                inQuote = !inQuote;
            }
        }
        int end = i;
        String param;
        String val = null;
        if (equals < 0) {
            param = args.substring(s, end);
        } else {
            param = args.substring(s, equals);
            int vs = equals + 1;
            int ve = end;
            if (vs < end && args.charAt(vs) == '"') {
                vs++;
                if (end > vs && args.charAt(end - 1) == '"') {
                    ve = end - 1;
                }
            }
            val = args.substring(vs, Math.max(vs, ve));
        }
        if (quoted && end > s && args.charAt(end - 1) == '"') {
            if (val != null && val.endsWith("\"")) {
                val = val.substring(0, val.length() - 1);
            } else if (val == null && param.endsWith("\"")) {
                param = param.substring(0, param.length() - 1);
            }
        }
        int next = end < args.length() ? end + 1 : end;
        return new Arg(param, val, skipSpaces(args, next));
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
