package dev.ksim.kernel.printk;

import java.util.Arrays;

/**
 * A format string decoded once ({@code format_decode()} of {@code lib/vsprintf.c} for every conversion):
 * the literal runs and the conversions' flags, width, precision, length modifier and conversion
 * character, in order. Decoding depends on the format alone; what depends on the arguments (a
 * {@code *} width or precision, the argument types) is left to {@link Vsprintf}, which formats from
 * this. Decoding stops after the first unsupported conversion, where formatting stops.
 *
 * <p>Immutable (the array is never written after construction), so instances may be cached and
 * shared between threads ({@link FormatCache}).
 */
final class ParsedFormat {
    /** A width or precision given as {@code *}: taken from the next argument. */
    static final int STAR = Integer.MIN_VALUE;

    // the ints of one conversion in {@link #conversions}
    /** Start of the literal run before the conversion's {@code %}. */
    static final int LIT_FROM = 0;
    /** End of that run: the index of the {@code %}. */
    static final int LIT_TO = 1;
    /** printf_spec flag bits ({@code LEFT PLUS SPACE SPECIAL ZEROPAD}). */
    static final int FLAGS = 2;
    /** Field width, -1 for none, or {@link #STAR}. */
    static final int WIDTH = 3;
    /** Precision, -1 for none, or {@link #STAR}. */
    static final int PRECISION = 4;
    /** Length modifier: 0, {@code h l L z t}, or {@code H} ({@code hh}) and {@code L} ({@code ll}). */
    static final int QUALIFIER = 5;
    /** The conversion character; 0 when the format ended first (an unsupported conversion). */
    static final int CONVERSION = 6;
    /** For {@code %p}: the first extension character, or 0. */
    static final int EXT = 7;
    /** For {@code %p}: the second extension character, or 0. */
    static final int EXT1 = 8;
    /** Ints per conversion. */
    static final int STRIDE = 9;

    /** The decoded format (compared by identity by the cache). */
    final String format;
    /** {@link #STRIDE} ints per conversion, {@link #count} of them. */
    final int[] conversions;
    /** Number of conversions. */
    final int count;
    /** Start of the literal run after the last conversion (up to the format's end). */
    final int tailFrom;

    private ParsedFormat(String format, int[] conversions, int count, int tailFrom) {
        this.format = format;
        this.conversions = conversions;
        this.count = count;
        this.tailFrom = tailFrom;
    }

    /**
     * Decodes a format.
     *
     * @param fmt the format
     * @return the decoded format
     */
    static ParsedFormat parse(String fmt) {
        final int n = fmt.length();
        int[] out = new int[STRIDE * 4];
        int count = 0;
        int i = 0;
        while (i < n) {
            int pct = fmt.indexOf('%', i);
            if (pct < 0) {
                break;
            }
            if ((count + 1) * STRIDE > out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            int at = count * STRIDE;
            count++;
            out[at + LIT_FROM] = i;
            out[at + LIT_TO] = pct;
            i = pct + 1;

            int flags = 0;
            flagLoop:
            for (; i < n; i++) {
                switch (fmt.charAt(i)) {
                    case '-' -> flags |= Vsprintf.LEFT;
                    case '+' -> flags |= Vsprintf.PLUS;
                    case ' ' -> flags |= Vsprintf.SPACE;
                    case '#' -> flags |= Vsprintf.SPECIAL;
                    case '0' -> flags |= Vsprintf.ZEROPAD;
                    default -> {
                        break flagLoop;
                    }
                }
            }

            int width = -1;
            char c = i < n ? fmt.charAt(i) : 0;
            if (c >= '0' && c <= '9') {
                int end = skipDigits(fmt, i);
                width = (skipAtoi(fmt, i, end) << 8) >> 8; // stored in a 24-bit signed field
                i = end;
                c = i < n ? fmt.charAt(i) : 0;
            } else if (c == '*') {
                c = ++i < n ? fmt.charAt(i) : 0;
                width = STAR;
            }

            int precision = -1;
            if (c == '.') {
                c = ++i < n ? fmt.charAt(i) : 0;
                if (c >= '0' && c <= '9') {
                    int end = skipDigits(fmt, i);
                    precision = Math.max((short) skipAtoi(fmt, i, end), 0); // a 16-bit signed field
                    i = end;
                    c = i < n ? fmt.charAt(i) : 0;
                } else if (c == '*') {
                    c = ++i < n ? fmt.charAt(i) : 0;
                    precision = STAR;
                }
            }

            char qualifier = 0;
            if (c == 'h' || c == 'l' || c == 'L' || c == 'z' || c == 't') {
                qualifier = c;
                c = ++i < n ? fmt.charAt(i) : 0;
                if (qualifier == c) {
                    if (qualifier == 'l') {
                        qualifier = 'L';
                        c = ++i < n ? fmt.charAt(i) : 0;
                    } else if (qualifier == 'h') {
                        qualifier = 'H';
                        c = ++i < n ? fmt.charAt(i) : 0;
                    }
                }
            }

            out[at + FLAGS] = flags;
            out[at + WIDTH] = width;
            out[at + PRECISION] = precision;
            out[at + QUALIFIER] = qualifier;
            out[at + CONVERSION] = c;
            switch (c) {
                case 'c', 's', '%', 'o', 'x', 'X', 'd', 'i', 'u' -> i++;
                case 'p' -> {
                    i++;
                    out[at + EXT] = i < n ? fmt.charAt(i) : 0;
                    out[at + EXT1] = i + 1 < n ? fmt.charAt(i + 1) : 0;
                    // every alphanumeric character after %p belongs to its extension
                    while (i < n && isAlnum(fmt.charAt(i))) {
                        i++;
                    }
                }
                default -> {
                    // FORMAT_TYPE_INVALID: formatting stops here, nothing after it is decoded
                    return new ParsedFormat(fmt, out, count, n);
                }
            }
        }
        return new ParsedFormat(fmt, out, count, i);
    }

    /** @return the index after the run of decimal digits that starts at {@code i} */
    private static int skipDigits(String fmt, int i) {
        while (i < fmt.length() && fmt.charAt(i) >= '0' && fmt.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** {@code skip_atoi()}: the digits {@code fmt[from, to)} as an int (wrapping on overflow, as in C). */
    private static int skipAtoi(String fmt, int from, int to) {
        int v = 0;
        for (int k = from; k < to; k++) {
            v = v * 10 + (fmt.charAt(k) - '0');
        }
        return v;
    }

    /** The kernel's {@code isalnum()} for Latin-1 ({@code lib/ctype.c}). */
    static boolean isAlnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= 0xc0 && c <= 0xff && c != 0xd7 && c != 0xf7);
    }
}
