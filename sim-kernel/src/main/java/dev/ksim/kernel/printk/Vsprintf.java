package dev.ksim.kernel.printk;

import dev.ksim.sdk.Errno;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The kernel's {@code vsnprintf()} ({@code lib/vsprintf.c}) for Java arguments: what {@code printk}
 * formats with, behaviour for behaviour, including where the kernel differs from C's printf.
 *
 * <h2>Conversions</h2>
 * {@code %d %i %u %x %X %o %c %s %%} with the flags {@code - + 0 #} and space, field width and
 * precision (also {@code *}) and the length modifiers {@code hh h l ll z t} (and {@code L}). Sizes
 * follow C on LP64: without a modifier a value is truncated to 32 bits ({@code (int)} for
 * {@code %d}, {@code (unsigned int)} for {@code %u %x %o}), {@code h} to 16 and {@code hh} to 8 bits,
 * {@code l ll z t} print all 64 bits. Kernel-specific results this class reproduces:
 * <ul>
 * <li>{@code %#x} of 0 prints {@code 0x0} (C prints {@code 0}); {@code %.0d} of 0 prints {@code 0};
 *     the {@code 0} flag is honoured together with a precision ({@code %05.3d} of 7 is {@code 00007});
 *     {@code %.d} (a dot without digits) means no precision; a negative {@code *} precision is 0.</li>
 * <li>{@code %s} of {@code null} prints {@code (null)} (at most 16 characters of it, as the kernel's
 *     {@code error_string()} limits every such marker unless a precision is given).</li>
 * <li>An unknown conversion ({@code %f}, {@code %n}, a lone {@code %} at the end, …) ends the
 *     output at that point, as the kernel does after its {@code WARN_ONCE} (see
 *     {@link #setInvalidFormatHandler}).</li>
 * <li>{@code %p} hashes the pointer with SipHash-2-4 under this instance's 128-bit key and prints the
 *     low 32 bits as 16 zero-padded hex digits ({@code 00000000a1b2c3d4}); {@code NULL} and error
 *     pointers ({@code -4095..-1}) are printed raw ({@code 0000000000000000},
 *     {@code fffffffffffffff2}). Everything alphanumeric after {@code %p} is consumed as its
 *     extension, so {@code "%pabc"} swallows {@code abc}.</li>
 * <li>{@code %px} prints the raw pointer; {@code %pK} follows {@link #setKptrRestrict kptr_restrict};
 *     {@code %pS}/{@code %pSR} print {@code sym+0xoff/0xsize [mod]}, {@code %ps} {@code sym [mod]},
 *     {@code %pB} the backtrace form (looks up {@code addr-1}), all through the {@link SymbolLookup},
 *     falling back to {@code 0x<hex>} for an unknown address; {@code %pe} prints an error pointer
 *     as {@code -EINVAL}; {@code %pa}/{@code %pad} print {@code 0x} and 16 hex digits; {@code %pks}
 *     and {@code %pus} print a string.</li>
 * </ul>
 *
 * <h2>Java arguments</h2>
 * Integer conversions take any integral {@link Number} (Java widening: an {@code Integer} is
 * sign-extended, so {@code %lx} of {@code -1} prints 16 {@code f}s), a {@link Character}, a
 * {@link Boolean} (0/1) or a {@link HasAddress}. {@code %c} takes a {@code Character} (printed as
 * is) or a number (its low 8 bits, like C's {@code (unsigned char)}). {@code %s} takes any
 * {@link CharSequence}, or a NUL-terminated {@code byte[]} (bytes as ISO-8859-1) or {@code char[]};
 * a number there is a pointer: 0 prints {@code (null)}, a small or error value {@code (efault)}.
 * Pointer conversions take a {@code Number}, a {@link HasAddress} or {@code null} (NULL); any other
 * object stands for a pointer to itself and gets a stable synthetic address from its identity hash.
 *
 * <h2>Bad arguments never throw</h2>
 * A missing argument prints {@value #MISSING}; an argument of a type the conversion cannot use
 * prints {@value #WRONG_TYPE}; a {@code %p} extension the kernel has but ksim does not model
 * ({@code %pI4}, {@code %pM}, {@code %pd}, …) prints {@code (%pI?)}-style markers like the kernel's
 * own {@code (%pf?)}. All three are formatted as the kernel formats its error strings. A {@code *}
 * width or precision whose argument is missing or not a number is ignored. Extra arguments are
 * ignored, as in C.
 *
 * <h2>Threads</h2>
 * Instances are thread-safe: the key and symbol lookup are fixed, the two settings are volatile, and
 * formatting state lives in a per-thread scratch object (re-entrant calls get a fresh one).
 * Formatting allocates nothing for numbers and strings beyond what the output builder needs.
 *
 * <h2>Caches (the output is always what the uncached computation gives)</h2>
 * Each format is decoded once and kept by identity in a bounded per-formatter {@link FormatCache};
 * a format string built anew for each call is decoded each time. Each thread keeps the ids of its
 * recent {@code %p} pointers ({@link PointerHashCache}), valid for the key they were hashed under.
 */
public final class Vsprintf {

    /** Printed for a conversion whose argument is missing. */
    public static final String MISSING = "(missing)";
    /** Printed for an argument whose type the conversion cannot use (the kernel's own marker). */
    public static final String WRONG_TYPE = "(einval)";

    /** {@code FIELD_WIDTH_MAX}: a {@code *} width is clamped to ±this. */
    static final int FIELD_WIDTH_MAX = (1 << 23) - 1;
    /** {@code PRECISION_MAX}: a {@code *} precision is clamped to this. */
    static final int PRECISION_MAX = (1 << 15) - 1;
    /** {@code MAX_ERRNO}: pointers in {@code [-MAX_ERRNO, -1]} are error pointers. */
    static final long MAX_ERRNO = 4095;
    /** {@code PAGE_SIZE}: pointers below it make {@code %s} print {@code (efault)}. */
    private static final long PAGE_SIZE = 4096;

    // printf_spec flag bits, numbered as in the kernel
    static final int SIGN = 1;
    static final int LEFT = 2;
    static final int PLUS = 4;
    static final int SPACE = 8;
    static final int ZEROPAD = 16;
    static final int SMALL = 32;
    static final int SPECIAL = 64;

    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
    private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();
    /** A thread's scratch buffer grown beyond this is dropped after the call. */
    private static final int MAX_RETAINED_CHARS = 1 << 16;
    /** Marks "no argument left" in {@link #format}; never a real argument. */
    private static final Object NO_ARG = new Object();

    /** Per-thread output buffer, so formatting allocates nothing; see {@link FormatBuffer#inUse}. */
    private static final ThreadLocal<FormatBuffer> SCRATCH = ThreadLocal.withInitial(FormatBuffer::new);

    /** kallsyms for {@code %pS}; {@code null} formats as a kernel without CONFIG_KALLSYMS. Immutable. */
    private final SymbolLookup symbols;
    /** {@code ptr_key}, the SipHash key for {@code %p}; immutable. */
    private final long key0;
    private final long key1;
    /** {@code kptr_restrict} (0, 1 or 2); written by sysctl, read by any formatting thread. */
    private volatile int kptrRestrict;
    /** {@code !no_hash_pointers}; written at boot, read by any formatting thread. */
    private volatile boolean hashPointers = true;
    /** Formats decoded by this formatter, by identity; thread-safe. */
    private final FormatCache formats = new FormatCache();
    /** Receives the one-time warning about an unsupported conversion; may be {@code null}. */
    private volatile Consumer<String> invalidFormatHandler;
    /** The {@code WARN_ONCE} flag of {@code format_decode()}: set by the first unsupported conversion. */
    private final AtomicBoolean warnedInvalidFormat = new AtomicBoolean();

    /**
     * A formatter with a fixed pointer-hash key (reproducible {@code %p} output).
     *
     * @param symbols the symbol lookup for {@code %pS}/{@code %ps}/{@code %pB}; {@code null} behaves
     *        like a kernel without CONFIG_KALLSYMS ({@code %pS} prints {@code 0x} + 16 hex digits)
     * @param key0 {@code ptr_key.key[0]}
     * @param key1 {@code ptr_key.key[1]}
     */
    public Vsprintf(SymbolLookup symbols, long key0, long key1) {
        this.symbols = symbols;
        this.key0 = key0;
        this.key1 = key1;
    }

    /**
     * A formatter whose pointer-hash key is random, as the kernel draws it at boot.
     *
     * @param symbols the symbol lookup, or {@code null} (see {@link #Vsprintf(SymbolLookup, long, long)})
     * @return the formatter
     */
    public static Vsprintf withRandomKey(SymbolLookup symbols) {
        SecureRandom random = new SecureRandom();
        return new Vsprintf(symbols, random.nextLong(), random.nextLong());
    }

    /**
     * Sets {@code kernel.kptr_restrict}: 0 makes {@code %pK} hash like {@code %p}; 1 prints the raw
     * pointer in task context (ksim assumes the caller has CAP_SYSLOG, as insmod's root does) and
     * {@code pK-error} in interrupt context; 2 and above print zeros.
     *
     * @param value the sysctl value
     */
    public void setKptrRestrict(int value) {
        kptrRestrict = value;
    }

    /** @return the {@code kptr_restrict} setting */
    public int kptrRestrict() {
        return kptrRestrict;
    }

    /**
     * Sets whether {@code %p} hashes ({@code true}, the default) or prints raw addresses like the
     * {@code no_hash_pointers} boot option.
     *
     * @param hash {@code false} for {@code no_hash_pointers}
     */
    public void setHashPointers(boolean hash) {
        hashPointers = hash;
    }

    /**
     * Sets who hears of the first unsupported conversion ({@code %f}, {@code %n}, a trailing
     * {@code %}, …). The kernel reports it once per boot with
     * {@code WARN_ONCE(1, "Please remove unsupported %%%c in format string\n", c)}; the handler is
     * called once per formatter, on the formatting thread, with that message (the {@code %c}
     * filled in, a trailing newline included) and may print the WARN splat.
     *
     * @param handler the handler, or {@code null} for none
     */
    public void setInvalidFormatHandler(Consumer<String> handler) {
        invalidFormatHandler = handler;
    }

    /**
     * {@code ptr_to_hashval()}: the 32-bit id {@code %p} prints for a pointer.
     *
     * @param ptr the pointer
     * @return {@code siphash_1u64(ptr, ptr_key) & 0xffffffff}
     */
    public long hashPointer(long ptr) {
        return SipHash.siphash_1u64(ptr, key0, key1) & 0xffffffffL;
    }

    /**
     * Formats into a string without a size limit, in task context.
     *
     * @param fmt the format
     * @param args its arguments
     * @return the formatted text
     */
    public String sprintf(String fmt, Object... args) {
        StringBuilder sb = new StringBuilder(fmt.length() + 16);
        vsnprintf(sb, Integer.MAX_VALUE, fmt, args, false);
        return sb.toString();
    }

    /**
     * {@code vsnprintf()}: appends the formatted text to {@code out}, at most {@code size - 1}
     * characters (room is left for C's terminating NUL, so a {@code size} of 1024 stores 1023
     * characters, and 0 stores none).
     *
     * @param out where to append
     * @param size the C buffer size, including the NUL
     * @param fmt the format; {@code null} formats as empty
     * @param args the arguments; {@code null} means none
     * @param inIrq whether the caller is in interrupt context (only {@code %pK} cares)
     * @return the length the whole output would have had, as C's vsnprintf returns (capped at
     *         {@link Integer#MAX_VALUE})
     */
    public int vsnprintf(StringBuilder out, int size, String fmt, Object[] args, boolean inIrq) {
        FormatBuffer o = SCRATCH.get();
        if (o.inUse) {
            o = new FormatBuffer();
        }
        o.inUse = true;
        try {
            int total = vsnprintf(o, size, fmt, args, inIrq);
            out.append(o.buf, 0, o.len);
            return total;
        } finally {
            if (o.buf.length > MAX_RETAINED_CHARS) {
                o.buf = new char[256]; // do not keep a huge one-off output alive per thread
            }
            o.inUse = false;
        }
    }

    /**
     * {@code vsnprintf()} into a buffer the caller owns (and has marked in use).
     *
     * @param o the buffer; reset first
     * @param size the C buffer size, including the NUL
     * @param fmt the format; {@code null} formats as empty
     * @param args the arguments; {@code null} means none
     * @param inIrq whether the caller is in interrupt context
     * @return the length the whole output would have had, capped at {@link Integer#MAX_VALUE}
     */
    int vsnprintf(FormatBuffer o, int size, String fmt, Object[] args, boolean inIrq) {
        o.reset(Math.max(size - 1, 0));
        if (fmt != null) {
            format(o, fmt, args, inIrq);
        }
        return (int) Math.min(o.total, Integer.MAX_VALUE);
    }

    /**
     * The main loop: the format is decoded (once per format string, see {@link FormatCache}), then each
     * literal run is copied and each conversion printed with its arguments.
     */
    private void format(FormatBuffer o, String fmt, Object[] args, boolean inIrq) {
        final ParsedFormat pf = formats.get(fmt);
        final int[] conv = pf.conversions;
        final int end = pf.count * ParsedFormat.STRIDE;
        final int argc = args == null ? 0 : args.length;
        int ai = 0;
        for (int at = 0; at < end; at += ParsedFormat.STRIDE) {
            int litFrom = conv[at + ParsedFormat.LIT_FROM];
            int litTo = conv[at + ParsedFormat.LIT_TO];
            if (litTo > litFrom) {
                o.put(fmt, litFrom, litTo);
            }
            int flags = conv[at + ParsedFormat.FLAGS];
            int width = conv[at + ParsedFormat.WIDTH];
            if (width == ParsedFormat.STAR) {
                width = -1;
                Object a = ai < argc ? args[ai] : NO_ARG;
                ai++;
                if (isIntegral(a)) {
                    int w = (int) toLong(a); // va_arg(args, int)
                    int wi = Math.max(-FIELD_WIDTH_MAX, Math.min(FIELD_WIDTH_MAX, w));
                    if (wi < 0) {
                        wi = -wi;
                        flags |= LEFT;
                    }
                    width = wi;
                }
            }
            int precision = conv[at + ParsedFormat.PRECISION];
            if (precision == ParsedFormat.STAR) {
                precision = -1;
                Object a = ai < argc ? args[ai] : NO_ARG;
                ai++;
                if (isIntegral(a)) {
                    int p = (int) toLong(a);
                    precision = p < 0 ? 0 : Math.min(p, PRECISION_MAX);
                }
            }
            char qualifier = (char) conv[at + ParsedFormat.QUALIFIER];
            char c = (char) conv[at + ParsedFormat.CONVERSION];

            int base = 10;
            switch (c) {
                case 'c' -> {
                    Object a = ai < argc ? args[ai] : NO_ARG;
                    ai++;
                    formatChar(o, a, flags, width, precision);
                    continue;
                }
                case 's' -> {
                    Object a = ai < argc ? args[ai] : NO_ARG;
                    ai++;
                    formatString(o, a, flags, width, precision);
                    continue;
                }
                case 'p' -> {
                    Object a = ai < argc ? args[ai] : NO_ARG;
                    ai++;
                    pointer(o, (char) conv[at + ParsedFormat.EXT], (char) conv[at + ParsedFormat.EXT1], a, flags,
                            width, precision, inIrq);
                    continue;
                }
                case '%' -> {
                    o.put('%');
                    continue;
                }
                case 'o' -> base = 8;
                case 'x' -> {
                    flags |= SMALL;
                    base = 16;
                }
                case 'X' -> base = 16;
                case 'd', 'i' -> flags |= SIGN;
                case 'u' -> {
                }
                default -> {
                    // FORMAT_TYPE_INVALID: the kernel WARNs once and stops formatting here.
                    warnInvalid(c);
                    return;
                }
            }
            Object a = ai < argc ? args[ai] : NO_ARG;
            ai++;
            if (a == NO_ARG) {
                errorString(o, MISSING, flags, width, precision);
                continue;
            }
            if (!isIntegral(a)) {
                errorString(o, WRONG_TYPE, flags, width, precision);
                continue;
            }
            long v = toLong(a);
            boolean signed = (flags & SIGN) != 0;
            switch (qualifier) {
                case 'L', 'l', 'z', 't' -> {
                }
                case 'H' -> v = signed ? (byte) v : v & 0xffL;
                case 'h' -> v = signed ? (short) v : v & 0xffffL;
                default -> v = signed ? (int) v : v & 0xffffffffL;
            }
            number(o, v, base, flags, width, precision);
        }
        if (pf.tailFrom < fmt.length()) {
            o.put(fmt, pf.tailFrom, fmt.length());
        }
    }

    /** {@code WARN_ONCE()} for an unsupported conversion character. */
    private void warnInvalid(char c) {
        Consumer<String> handler = invalidFormatHandler;
        if (handler != null && !warnedInvalidFormat.getAndSet(true)) {
            handler.accept("Please remove unsupported %" + c + " in format string\n");
        }
    }

    // ---------------------------------------------------------------- conversions

    /** {@code %c}: pads to the width with spaces on the side the {@code -} flag says. */
    private static void formatChar(FormatBuffer o, Object a, int flags, int width, int precision) {
        char ch;
        if (a instanceof Character) {
            ch = (Character) a;
        } else if (a == NO_ARG) {
            errorString(o, MISSING, flags, width, precision);
            return;
        } else if (isIntegral(a)) {
            ch = (char) (toLong(a) & 0xff);
        } else {
            errorString(o, WRONG_TYPE, flags, width, precision);
            return;
        }
        int pad = Math.max(width - 1, 0);
        if ((flags & LEFT) == 0) {
            o.pad(' ', pad);
            o.put(ch);
        } else {
            o.put(ch);
            o.pad(' ', pad);
        }
    }

    /** {@code %s}: see the class comment for the accepted argument types. */
    private static void formatString(FormatBuffer o, Object a, int flags, int width, int precision) {
        if (a instanceof String) {
            String s = (String) a;
            int end = s.indexOf('\0');
            string(o, s, end < 0 ? s.length() : end, flags, width, precision);
        } else if (a == null) {
            errorString(o, "(null)", flags, width, precision);
        } else if (a instanceof CharSequence) {
            CharSequence s = (CharSequence) a;
            int end = 0;
            while (end < s.length() && s.charAt(end) != '\0') {
                end++;
            }
            string(o, s, end, flags, width, precision);
        } else if (a instanceof byte[]) {
            byte[] b = (byte[]) a;
            int end = 0;
            while (end < b.length && b[end] != 0) {
                end++;
            }
            char[] chars = new char[end];
            for (int k = 0; k < end; k++) {
                chars[k] = (char) (b[k] & 0xff);
            }
            string(o, java.nio.CharBuffer.wrap(chars), end, flags, width, precision);
        } else if (a instanceof char[]) {
            char[] chars = (char[]) a;
            int end = 0;
            while (end < chars.length && chars[end] != '\0') {
                end++;
            }
            string(o, java.nio.CharBuffer.wrap(chars), end, flags, width, precision);
        } else if (a == NO_ARG) {
            errorString(o, MISSING, flags, width, precision);
        } else if (a instanceof Number || a instanceof HasAddress) {
            long p = a instanceof HasAddress ? ((HasAddress) a).address() : toLong(a);
            errorString(o, p == 0 ? "(null)" : isBadPointer(p) ? "(efault)" : WRONG_TYPE,
                    flags, width, precision);
        } else {
            errorString(o, WRONG_TYPE, flags, width, precision);
        }
    }

    /** {@code check_pointer_msg()}: a pointer below PAGE_SIZE or an error value. */
    private static boolean isBadPointer(long p) {
        return Long.compareUnsigned(p, PAGE_SIZE) < 0 || isErr(p);
    }

    /** {@code IS_ERR_VALUE()}. */
    private static boolean isErr(long p) {
        return Long.compareUnsigned(p, -MAX_ERRNO) >= 0;
    }

    /**
     * {@code string_nocheck()} + {@code widen_string()}: at most {@code precision} characters of
     * {@code s[0, len)} (all of them if precision is negative), space-padded to the width.
     */
    private static void string(FormatBuffer o, CharSequence s, int len, int flags, int width, int precision) {
        int n = precision < 0 ? len : Math.min(len, precision);
        if (n < width && (flags & LEFT) == 0) {
            o.pad(' ', width - n);
        }
        o.put(s, 0, n);
        if (n < width && (flags & LEFT) != 0) {
            o.pad(' ', width - n);
        }
    }

    /** {@code error_string()}: like {@code %s}, but at most 16 characters unless a precision is given. */
    private static void errorString(FormatBuffer o, String s, int flags, int width, int precision) {
        string(o, s, s.length(), flags, width, precision == -1 ? 16 : precision);
    }

    /**
     * {@code number()}: prints {@code num} (two's complement when {@code SIGN} is set, otherwise
     * unsigned) in base 8, 10 or 16 with the kernel's padding rules.
     */
    private static void number(FormatBuffer o, long num, int base, int flags, int width, int precision) {
        boolean needPfx = (flags & SPECIAL) != 0 && base != 10;
        boolean isZero = num == 0;
        int locase = flags & SMALL;
        if ((flags & LEFT) != 0) {
            flags &= ~ZEROPAD;
        }
        char sign = 0;
        if ((flags & SIGN) != 0) {
            if (num < 0) {
                sign = '-';
                num = -num;
                width--;
            } else if ((flags & PLUS) != 0) {
                sign = '+';
                width--;
            } else if ((flags & SPACE) != 0) {
                sign = ' ';
                width--;
            }
        }
        if (needPfx) {
            if (base == 16) {
                width -= 2;
            } else if (!isZero) {
                width--;
            }
        }

        // digits, least significant first (hex digits are only counted here: they are written below,
        // straight into the output)
        char[] tmp = o.digits;
        char[] hex = locase != 0 ? HEX_LOWER : HEX_UPPER;
        int i = 0;
        if (base == 16) {
            i = num == 0 ? 1 : (67 - Long.numberOfLeadingZeros(num)) >>> 2;
        } else if (base == 8) {
            do {
                tmp[i++] = (char) ('0' + ((int) num & 7));
                num >>>= 3;
            } while (num != 0);
        } else {
            if (num < 0) { // above Long.MAX_VALUE as unsigned
                long q = Long.divideUnsigned(num, 10);
                tmp[i++] = (char) ('0' + (num - q * 10));
                num = q;
            }
            while (num > Integer.MAX_VALUE) {
                long q = num / 10;
                tmp[i++] = (char) ('0' + (num - q * 10));
                num = q;
            }
            int n32 = (int) num;
            do {
                int q = n32 / 10;
                tmp[i++] = (char) ('0' + (n32 - q * 10));
                n32 = q;
            } while (n32 != 0);
        }

        if (i > precision) {
            precision = i;
        }
        width -= precision;

        // Fast path: the exact output length is known, write it in one go.
        boolean left = (flags & LEFT) != 0;
        boolean zeropad = (flags & ZEROPAD) != 0;
        int pad = Math.max(width, 0);
        int pfx = needPfx ? (base == 16 ? 2 : (isZero ? 0 : 1)) : 0;
        long n = (long) pad + (sign != 0 ? 1 : 0) + pfx + precision;
        if (o.len + n <= o.limit) {
            o.total += n;
            char[] buf = o.reserve((int) n);
            int p = o.len;
            if (!left && !zeropad) {
                for (int k = 0; k < pad; k++) {
                    buf[p++] = ' ';
                }
            }
            if (sign != 0) {
                buf[p++] = sign;
            }
            if (pfx > 0) {
                buf[p++] = '0';
                if (pfx == 2) {
                    buf[p++] = (char) ('X' | locase);
                }
            }
            if (!left && zeropad) {
                for (int k = 0; k < pad; k++) {
                    buf[p++] = '0';
                }
            }
            for (int k = precision - i; k > 0; k--) {
                buf[p++] = '0';
            }
            if (base == 16) {
                for (int q = p + i; --q >= p; ) {
                    buf[q] = hex[(int) num & 15];
                    num >>>= 4;
                }
                p += i;
            } else {
                while (--i >= 0) {
                    buf[p++] = tmp[i];
                }
            }
            if (left) {
                for (int k = 0; k < pad; k++) {
                    buf[p++] = ' ';
                }
            }
            o.len = p;
            return;
        }

        // Slow path near the size limit: the kernel's sequence, each piece clipped.
        if (base == 16) {
            for (int k = 0; k < i; k++) {
                tmp[k] = hex[(int) num & 15];
                num >>>= 4;
            }
        }
        if (!zeropad && !left) {
            o.pad(' ', width);
            width = -1;
        }
        if (sign != 0) {
            o.put(sign);
        }
        if (needPfx) {
            if (base == 16 || !isZero) {
                o.put('0');
            }
            if (base == 16) {
                o.put((char) ('X' | locase));
            }
        }
        if (!left) {
            o.pad(zeropad ? '0' : ' ', width);
            width = -1;
        }
        o.pad('0', precision - i);
        while (--i >= 0) {
            o.put(tmp[i]);
        }
        o.pad(' ', width);
    }

    // ---------------------------------------------------------------- %p

    /**
     * {@code pointer()}: dispatches on the extension letters after {@code %p} (the format's decoding
     * consumed every alphanumeric character after it, as the kernel does).
     */
    private void pointer(FormatBuffer o, char ext, char ext1, Object a, int flags, int width, int precision,
            boolean inIrq) {
        if (a == NO_ARG) {
            errorString(o, MISSING, flags, width, precision);
            return;
        }
        long ptr = pointerValue(a);
        switch (ext) {
            case 'S', 's', 'B' -> symbolString(o, ptr, ext, flags, width, precision);
            case 'x' -> pointerString(o, ptr, flags, width, precision);
            case 'K' -> restrictedPointer(o, ptr, flags, width, precision, inIrq);
            case 'e' -> {
                if (isErr(ptr)) {
                    errPtr(o, (int) ptr, flags, width, precision);
                } else {
                    hashedPointer(o, ptr, flags, width, precision);
                }
            }
            case 'a' -> {
                if (a == null) {
                    errorString(o, "(null)", flags, width, precision);
                } else {
                    // special_hex_number(): ksim passes the phys/dma address itself, not a pointer to it
                    number(o, ptr, 16, SPECIAL | SMALL | ZEROPAD, 18, -1);
                }
            }
            case 'k', 'u' -> {
                if (ext1 == 's') {
                    formatString(o, a, flags, width, precision);
                } else {
                    errorString(o, WRONG_TYPE, flags, width, precision);
                }
            }
            case 'R', 'r', 'h', 'b', 'M', 'm', 'I', 'i', 'E', 'U', 'V', 'N', '4', 'd', 't', 'C', 'D',
                    'g', 'G', 'O', 'f' -> {
                // kernel extensions that dereference structures ksim does not model
                if (ptr == 0) {
                    errorString(o, "(null)", flags, width, precision);
                } else {
                    errorString(o, "(%p" + ext + "?)", flags, width, precision);
                }
            }
            default -> hashedPointer(o, ptr, flags, width, precision);
        }
    }

    /**
     * Plain {@code %p}: {@code ptr_to_id()} (through the thread's cache: the same id as
     * {@link #hashPointer}), or the raw value under {@code no_hash_pointers}.
     */
    private void hashedPointer(FormatBuffer o, long ptr, int flags, int width, int precision) {
        if (!hashPointers || ptr == 0 || isErr(ptr)) {
            pointerString(o, ptr, flags, width, precision);
        } else {
            pointerString(o, o.pointerHashes().hash(ptr, key0, key1), flags, width, precision);
        }
    }

    /** {@code pointer_string()}: hex, 16 digits zero-padded unless a width was given. */
    private static void pointerString(FormatBuffer o, long ptr, int flags, int width, int precision) {
        flags |= SMALL;
        if (width == -1) {
            width = 16;
            flags |= ZEROPAD;
        }
        number(o, ptr, 16, flags, width, precision);
    }

    /** {@code restricted_pointer()}: {@code %pK}. */
    private void restrictedPointer(FormatBuffer o, long ptr, int flags, int width, int precision, boolean inIrq) {
        int restrict = kptrRestrict;
        if (restrict == 0) {
            hashedPointer(o, ptr, flags, width, precision);
        } else if (restrict == 1) {
            if (inIrq) {
                errorString(o, "pK-error", flags, width == -1 ? 16 : width, precision);
            } else {
                pointerString(o, ptr, flags, width, precision);
            }
        } else {
            pointerString(o, 0, flags, width, precision);
        }
    }

    /** {@code err_ptr()}: {@code %pe} of an error pointer. */
    private static void errPtr(FormatBuffer o, int err, int flags, int width, int precision) {
        String name = Errno.name(err);
        if (name != null) {
            String sym = "-" + name;
            string(o, sym, sym.length(), flags, width, precision);
        } else {
            number(o, err, 10, flags | SIGN, width, precision);
        }
    }

    /** {@code symbol_string()}: {@code %pS %pSR %ps %pB}. */
    private void symbolString(FormatBuffer o, long value, char kind, int flags, int width, int precision) {
        SymbolLookup lookup = symbols;
        if (lookup == null) {
            // !CONFIG_KALLSYMS: special_hex_number(value, sizeof(void *)), the spec is ignored
            number(o, value, 16, SPECIAL | SMALL | ZEROPAD, 18, -1);
            return;
        }
        int symbolOffset = kind == 'B' ? -1 : 0;
        SymbolLookup.Symbol sym = lookup.lookup(value + symbolOffset);
        StringBuilder s = o.symbol;
        s.setLength(0);
        if (sym == null) {
            s.append("0x").append(Long.toHexString(value));
        } else {
            s.append(sym.name());
            if (kind != 's') {
                s.append("+0x").append(Long.toHexString(sym.offset() - symbolOffset))
                        .append("/0x").append(Long.toHexString(sym.size()));
            }
            if (sym.module() != null) {
                s.append(" [").append(sym.module()).append(']');
            }
        }
        string(o, s, s.length(), flags, width, precision);
    }

    // ---------------------------------------------------------------- argument conversion

    /** Whether an integer conversion can use the argument. */
    private static boolean isIntegral(Object a) {
        return a instanceof Long || a instanceof Integer || a instanceof Short || a instanceof Byte
                || a instanceof Character || a instanceof Boolean || a instanceof HasAddress
                || a instanceof BigInteger || a instanceof AtomicInteger || a instanceof AtomicLong;
    }

    /** The argument as a C integer (Java widening: narrower values are sign-extended). */
    private static long toLong(Object a) {
        if (a instanceof Long) {
            return (Long) a;
        }
        if (a instanceof Integer) {
            return (Integer) a;
        }
        if (a instanceof Number) {
            return ((Number) a).longValue();
        }
        if (a instanceof Character) {
            return (Character) a;
        }
        if (a instanceof Boolean) {
            return (Boolean) a ? 1 : 0;
        }
        return ((HasAddress) a).address();
    }

    /** The argument as a pointer value; see the class comment. */
    private static long pointerValue(Object a) {
        if (a instanceof Long) {
            return (Long) a;
        }
        if (a == null) {
            return 0;
        }
        if (a instanceof HasAddress) {
            return ((HasAddress) a).address();
        }
        if (a instanceof Number || a instanceof Character || a instanceof Boolean) {
            return toLong(a);
        }
        // Any other object: a synthetic, stable address in the direct map.
        return 0xffff888000000000L + ((System.identityHashCode(a) & 0xffffffffL) << 4);
    }
}
