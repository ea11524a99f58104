package dev.ksim.loader.params;

import dev.ksim.sdk.Errno;

/**
 * The kernel's string-to-number conversions ({@code lib/kstrtox.c}, {@code kstrtobool}): base 0
 * auto-detection ({@code 0x} hex, leading {@code 0} octal), one optional trailing newline, {@code -ERANGE}
 * on overflow and {@code -EINVAL} on anything else. Each method returns the value or throws
 * {@link ParamException} with the errno.
 */
public final class Kstrtox {
    private Kstrtox() {
    }

    /** {@code _parse_integer_fixup_radix} + {@code _parse_integer} + the tail check of {@code _kstrtoull}. */
    private static long parseUnsigned(String s) {
        int i = 0;
        int base = 10;
        if (s.length() > 0 && s.charAt(0) == '0') {
            if (s.length() > 2 && Character.toLowerCase(s.charAt(1)) == 'x' && Character.digit(s.charAt(2), 16) >= 0) {
                base = 16;
                i = 2;
            } else {
                base = 8;
            }
        }
        long value = 0;
        boolean overflow = false;
        int start = i;
        for (; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0 || d >= base || s.charAt(i) > 0x7f) {
                break;
            }
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, base)) > 0) {
                overflow = true;
            }
            value = value * base + d;
        }
        if (overflow) {
            throw new ParamException(-Errno.ERANGE);
        }
        if (i == start) {
            throw new ParamException(-Errno.EINVAL);
        }
        if (i < s.length() && s.charAt(i) == '\n') {
            i++;
        }
        if (i != s.length()) {
            throw new ParamException(-Errno.EINVAL);
        }
        return value;
    }

    /**
     * {@code kstrtoull(s, 0, &res)}.
     *
     * @param s the text
     * @return the value (unsigned, in a long's bits)
     */
    public static long kstrtoull(String s) {
        return parseUnsigned(s.startsWith("+") ? s.substring(1) : s);
    }

    /**
     * {@code kstrtoll(s, 0, &res)}.
     *
     * @param s the text
     * @return the value
     */
    public static long kstrtoll(String s) {
        if (s.startsWith("-")) {
            long tmp = parseUnsigned(s.substring(1));
            if (-tmp > 0) {
                throw new ParamException(-Errno.ERANGE);
            }
            return -tmp;
        }
        long tmp = kstrtoull(s);
        if (tmp < 0) {
            throw new ParamException(-Errno.ERANGE);
        }
        return tmp;
    }

    /**
     * A signed conversion into {@code bits} bits ({@code kstrtoint}, {@code kstrtos16}).
     *
     * @param s the text
     * @param bits 16, 32 or 64
     * @return the value
     */
    public static long signed(String s, int bits) {
        long v = kstrtoll(s);
        if (bits < 64 && v != (v << (64 - bits)) >> (64 - bits)) {
            throw new ParamException(-Errno.ERANGE);
        }
        return v;
    }

    /**
     * An unsigned conversion into {@code bits} bits ({@code kstrtouint}, {@code kstrtou16}, {@code kstrtou8}).
     *
     * @param s the text
     * @param bits 8, 16, 32 or 64
     * @return the value's bits
     */
    public static long unsigned(String s, int bits) {
        long v = kstrtoull(s);
        if (bits < 64 && (v >>> bits) != 0) {
            throw new ParamException(-Errno.ERANGE);
        }
        return v;
    }

    /**
     * {@code kstrtobool}: {@code y Y t T 1} and {@code on} are true; {@code n N f F 0} and {@code off} false;
     * only the first characters are looked at.
     *
     * @param s the text
     * @return the value
     */
    public static boolean kstrtobool(String s) {
        if (s.isEmpty()) {
            throw new ParamException(-Errno.EINVAL);
        }
        switch (s.charAt(0)) {
            case 'y', 'Y', 't', 'T', '1':
                return true;
            case 'n', 'N', 'f', 'F', '0':
                return false;
            case 'o', 'O':
                if (s.length() > 1) {
                    switch (s.charAt(1)) {
                        case 'n', 'N':
                            return true;
                        case 'f', 'F':
                            return false;
                        default:
                            break;
                    }
                }
                break;
            default:
                break;
        }
        throw new ParamException(-Errno.EINVAL);
    }
}
