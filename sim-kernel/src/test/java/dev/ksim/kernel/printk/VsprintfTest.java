package dev.ksim.kernel.printk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Exact output of {@link Vsprintf}. Cases shared with C were checked against glibc's printf; the
 * cases where the kernel differs from C say so and follow {@code lib/vsprintf.c}.
 */
class VsprintfTest {

    static final long KERNEL_CLONE = 0xffffffff810883e0L;
    static final long MODULE_BASE = 0xffffffffc0a00000L;

    /** kernel_clone is 0x540 bytes in vmlinux; handler_pre 0x80 bytes in kprobe_example. */
    static final SymbolLookup SYMBOLS = addr -> {
        if (addr >= KERNEL_CLONE && addr < KERNEL_CLONE + 0x540) {
            return new SymbolLookup.Symbol("kernel_clone", addr - KERNEL_CLONE, 0x540, null);
        }
        if (addr >= MODULE_BASE && addr < MODULE_BASE + 0x80) {
            return new SymbolLookup.Symbol("handler_pre", addr - MODULE_BASE, 0x80, "kprobe_example");
        }
        return null;
    };

    final Vsprintf v = new Vsprintf(SYMBOLS, SipHashTest.K0, SipHashTest.K1);

    String f(String fmt, Object... args) {
        return v.sprintf(fmt, args);
    }

    @ParameterizedTest(name = "{0} of {1}")
    @CsvSource(delimiter = ';', value = {
        "%d;42;42",
        "%i;42;42",
        "%5d;42;'   42'",
        "%-5d|;42;'42   |'",
        "%05d;42;00042",
        "%+d;42;+42",
        "% d;42;' 42'",
        "%+d;-42;-42",
        "%05d;-42;-0042",
        "%-05d|;42;'42   |'",
        "% 05d;7;' 0007'",
        "%+5d;7;'   +7'",
        "%-+6d|;7;'+7    |'",
        "%x;255;ff",
        "%X;255;FF",
        "%#x;255;0xff",
        "%#X;255;0XFF",
        "%#o;8;010",
        "%#o;0;0",
        "%o;8;10",
        "%o;-1;37777777777",
        "%#5o;8;'  010'",
        "%#08x;255;0x0000ff",
        "%#-8x|;255;'0xff    |'",
        "%#.3x;10;0x00a",
        "%.3d;7;007",
        "%.0x;5;5",
        "%u;-1;4294967295",
        "%x;-1;ffffffff",
        "%hx;74565;2345",
        "%hhx;511;ff",
        "%hhd;255;-1",
        "%hd;65535;-1",
        "%hu;-1;65535",
        "%d;2147483647;2147483647",
    })
    void integersLikeC(String fmt, int arg, String expected) {
        assertEquals(expected, f(fmt, arg));
    }

    @Test
    void sixtyFourBitConversions() {
        assertEquals("18446744073709551615", f("%lu", -1L));
        assertEquals("18446744073709551615", f("%llu", -1L));
        assertEquals("-9223372036854775808", f("%ld", Long.MIN_VALUE));
        assertEquals("9223372036854775808", f("%lu", Long.MIN_VALUE));
        assertEquals("ffffffffffffffff", f("%llx", -1L));
        assertEquals("ffffffff81000000", f("%lx", 0xffffffff81000000L));
        assertEquals("1777777777777777777777", f("%lo", -1L));
        assertEquals("-1", f("%zd", -1L));
        assertEquals("18446744073709551615", f("%zu", -1L));
        assertEquals("-5", f("%td", -5L));
        assertEquals("ffffffffffffffff", f("%Lx", -1L));
    }

    @Test
    void withoutLengthModifierLongsAreTruncatedToInt() {
        assertEquals("1", f("%d", 0x1_0000_0001L));
        assertEquals("-1294967296", f("%d", 3_000_000_000L)); // (int) 3000000000
        assertEquals("ffffffff", f("%x", -1L));
        assertEquals("4294967295", f("%u", -1L));
    }

    @Test
    void narrowerJavaIntegersAreSignExtended() {
        assertEquals("ffffffffffffffff", f("%lx", -1)); // documented: Java widening
        assertEquals("-1", f("%d", (short) -1));
        assertEquals("255", f("%u", (byte) -1 & 0xff));
        assertEquals("ff", f("%hhx", (byte) -1));
    }

    @Test
    void otherIntegerLikeArguments() {
        assertEquals("1 0", f("%d %d", true, false));
        assertEquals("65", f("%d", 'A'));
        assertEquals("7", f("%d", new AtomicInteger(7)));
        assertEquals("ffffffffc0a00000", f("%lx", (HasAddress) () -> MODULE_BASE));
    }

    @Test
    void kernelDiffersFromCHere() {
        assertEquals("0x0", f("%#x", 0)); // C: "0"
        assertEquals("0", f("%.0d", 0)); // C: ""
        assertEquals("0", f("%.d", 0)); // a bare dot is "no precision" in the kernel; C: ""
        assertEquals("00007", f("%05.3d", 7)); // C ignores 0 with a precision: "  007"
        assertEquals("", f("%.*s", -1, "abc")); // negative * precision becomes 0; C prints "abc"
        assertEquals("   ab", f("%05s", "ab")); // strings are always space-padded
    }

    @Test
    void characters() {
        assertEquals("A", f("%c", 'A'));
        assertEquals("  A|", f("%3c|", 'A'));
        assertEquals("A  |", f("%-3c|", 'A'));
        assertEquals("  A", f("%03c", 'A'));
        assertEquals("A", f("%c", 0x141)); // (unsigned char)
        assertEquals("é", f("%c", 'é'));
        assertEquals("x", f("%c", (int) 'x'));
    }

    @Test
    void strings() {
        assertEquals("abc", f("%.3s", "abcdef"));
        assertEquals("   ab|", f("%5.2s|", "abcdef"));
        assertEquals("ab   |", f("%-5s|", "ab"));
        assertEquals("abc", f("%s", new StringBuilder("abc")));
        assertEquals("abc", f("%s", "abc\0def")); // C strings end at NUL
        assertEquals("abc", f("%s", (Object) new byte[] {'a', 'b', 'c', 0, 'd'}));
        assertEquals("xy", f("%s", (Object) new char[] {'x', 'y'}));
        assertEquals("", f("%s", ""));
    }

    @Test
    void nullStringPrintsNullMarker() {
        assertEquals("(null)", f("%s", (Object) null));
        assertEquals("    (null)|", f("%10s|", (Object) null));
        assertEquals("(nu", f("%.3s", (Object) null));
    }

    @Test
    void numbersForPercentSAreBadPointers() {
        assertEquals("(null)", f("%s", 0L));
        assertEquals("(efault)", f("%s", 5));
        assertEquals("(efault)", f("%s", -14L));
        assertEquals("(einval)", f("%s", 0xffff888012345678L));
    }

    @Test
    void percentAndStars() {
        assertEquals("%", f("%%"));
        assertEquals("%", f("%5%"));
        assertEquals("100%", f("100%%"));
        assertEquals("   42", f("%*d", 5, 42));
        assertEquals("42   |", f("%-*d|", 5, 42));
        assertEquals("42   |", f("%*d|", -5, 42));
        assertEquals("ab", f("%.*s", 2, "abc"));
        assertEquals("  007", f("%*.*d", 5, 3, 7));
    }

    @Test
    void missingAndWrongArgumentsPrintMarkers() {
        assertEquals("(missing)", f("%d"));
        assertEquals("a 1 b (missing) c", f("a %d b %s c", 1));
        assertEquals("(missing)", f("%p"));
        assertEquals("(missing)", f("%c"));
        assertEquals("(einval)", f("%d", "x"));
        assertEquals("(einval)", f("%x", 1.5));
        assertEquals("(einval)", f("%c", "xy"));
        assertEquals("   (einval)", f("%11d", "x"));
        assertEquals("42", f("%*d", "wide", 42)); // a bad * argument is ignored
        assertEquals("1", f("%d", 1, 2, 3)); // extra arguments are ignored
        assertEquals("x (missing)", v.sprintf("x %d", (Object[]) null));
    }

    @Test
    void unknownConversionStopsTheOutput() {
        assertEquals("abc", f("abc%fdef", 1.0));
        assertEquals("100", f("100%"));
        assertEquals("", f("%n", 1));
        assertEquals("x", f("x%5"));
        assertEquals("a1", f("a%lld%llLd", 1L, 2L));
    }

    @Test
    void unknownConversionWarnsOnce() {
        java.util.List<String> warnings = new java.util.ArrayList<>();
        v.setInvalidFormatHandler(warnings::add);
        assertEquals("x", f("x%fy", 1.0));
        assertEquals("", f("%n"));
        assertEquals(java.util.List.of("Please remove unsupported %f in format string\n"), warnings);
    }

    @Test
    void sizeLimitTruncatesButReportsTheFullLength() {
        StringBuilder sb = new StringBuilder("> ");
        int n = v.vsnprintf(sb, 5, "hello %s", new Object[] {"world"}, false);
        assertEquals(11, n);
        assertEquals("> hell", sb.toString());
        StringBuilder empty = new StringBuilder();
        assertEquals(3, v.vsnprintf(empty, 0, "abc", null, false));
        assertEquals("", empty.toString());
        StringBuilder wide = new StringBuilder();
        assertEquals(1_000_000, v.vsnprintf(wide, 8, "%1000000d", new Object[] {1}, false));
        assertEquals("       ", wide.toString());
    }

    @Nested
    class Pointers {

        String hashed(long ptr) {
            long h = SipHash.hash(SipHashTest.le(ptr), SipHashTest.K0, SipHashTest.K1) & 0xffffffffL;
            return String.format("%016x", h);
        }

        @Test
        void plainPercentPHashesWithSipHash() {
            // siphash_1u64(0x0706050403020100) is reference vector 8, 0x93f5f5799a932462
            assertEquals("000000009a932462", f("%p", 0x0706050403020100L));
            assertEquals(hashed(KERNEL_CLONE), f("%p", KERNEL_CLONE));
            assertEquals("p->addr = 0x" + hashed(KERNEL_CLONE) + ", ip",
                    f("p->addr = 0x%p, ip", KERNEL_CLONE));
        }

        @Test
        void nullAndErrorPointersPrintRaw() {
            assertEquals("0000000000000000", f("%p", (Object) null));
            assertEquals("0000000000000000", f("%p", 0L));
            assertEquals("ffffffffffffffea", f("%p", -22L)); // ERR_PTR(-EINVAL)
            assertEquals("fffffffffffff001", f("%p", -4095L));
            assertEquals(hashed(-4096L), f("%p", -4096L)); // not an error pointer
        }

        @Test
        void widthAndFlagsApply() {
            String h = Long.toHexString(Long.parseLong(hashed(KERNEL_CLONE), 16));
            assertEquals(String.format("%20s", h), f("%20p", KERNEL_CLONE));
            assertEquals(String.format("%-20s|", h), f("%-20p|", KERNEL_CLONE));
            assertEquals("0x" + hashed(KERNEL_CLONE).substring(2), f("%#p", KERNEL_CLONE));
        }

        @Test
        void rawPointers() {
            assertEquals("ffffffff810883e0", f("%px", KERNEL_CLONE));
            assertEquals("0000000000001000", f("%px", 0x1000));
            assertEquals("ffffffffc0a00000", f("%px", (HasAddress) () -> MODULE_BASE));
            Vsprintf unhashed = new Vsprintf(SYMBOLS, 1, 2);
            unhashed.setHashPointers(false);
            assertEquals("ffffffff810883e0", unhashed.sprintf("%p", KERNEL_CLONE));
        }

        @Test
        void restrictedPointers() {
            assertEquals(hashed(KERNEL_CLONE), f("%pK", KERNEL_CLONE));
            v.setKptrRestrict(1);
            assertEquals("ffffffff810883e0", f("%pK", KERNEL_CLONE));
            StringBuilder sb = new StringBuilder();
            v.vsnprintf(sb, 100, "%pK", new Object[] {KERNEL_CLONE}, true);
            assertEquals("        pK-error", sb.toString());
            v.setKptrRestrict(2);
            assertEquals("0000000000000000", f("%pK", KERNEL_CLONE));
        }

        @Test
        void symbols() {
            assertEquals("kernel_clone+0x0/0x540", f("%pS", KERNEL_CLONE));
            assertEquals("kernel_clone+0x4/0x540", f("%pS", KERNEL_CLONE + 4));
            assertEquals("kernel_clone+0x4/0x540", f("%pSR", KERNEL_CLONE + 4));
            assertEquals("kernel_clone", f("%ps", KERNEL_CLONE + 4));
            assertEquals("handler_pre+0x10/0x80 [kprobe_example]", f("%pS", MODULE_BASE + 0x10));
            assertEquals("handler_pre [kprobe_example]", f("%ps", MODULE_BASE + 0x10));
            assertEquals("0xffffffffc0b00000", f("%pS", 0xffffffffc0b00000L));
            assertEquals("0x0", f("%ps", 0L));
            // %pB looks up addr-1 (a return address) and reports the offset of addr
            assertEquals("handler_pre+0x80/0x80 [kprobe_example]", f("%pB", MODULE_BASE + 0x80));
            assertEquals("  kernel_clone|", f("%14ps|", KERNEL_CLONE));
            assertEquals("kern", f("%.4ps", KERNEL_CLONE));
        }

        @Test
        void symbolsWithoutKallsymsPrintFullHex() {
            Vsprintf noKallsyms = new Vsprintf(null, 1, 2);
            assertEquals("0xffffffff810883e0", noKallsyms.sprintf("%pS", KERNEL_CLONE));
            assertEquals("0x0000000000001000", noKallsyms.sprintf("%ps", 0x1000L));
        }

        @Test
        void errorPointersByName() {
            assertEquals("-EINVAL", f("%pe", -22L));
            assertEquals("-ENOENT", f("%pe", -2));
            assertEquals("-1234", f("%pe", -1234L));
            assertEquals(hashed(KERNEL_CLONE), f("%pe", KERNEL_CLONE));
        }

        @Test
        void extensionsAreConsumedWhole() {
            assertEquals(hashed(KERNEL_CLONE) + "-", f("%pzq-", KERNEL_CLONE));
            assertEquals("(%pI?) x", f("%pI4 x", 0x0100007fL));
            assertEquals("(null)", f("%pI4", (Object) null));
            assertEquals("0x0000000012345000", f("%pa", 0x12345000L));
            assertEquals("0x0000000012345000", f("%pad", 0x12345000L));
            assertEquals("str", f("%pks", "str"));
            assertEquals("(einval)", f("%pk", "str"));
        }

        @Test
        void otherObjectsGetAStableSyntheticAddress() {
            Object o = new Object();
            String first = f("%p", o);
            assertEquals(first, f("%p", o));
            assertEquals(16, first.length());
            assertEquals(f("%px", o).length(), 16);
        }
    }
}
