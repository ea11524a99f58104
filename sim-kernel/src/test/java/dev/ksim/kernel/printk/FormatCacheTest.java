package dev.ksim.kernel.printk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Formats decoded once and reused by identity print exactly what a fresh decoding prints: same
 * format object again, an equal string that is another object, and formats sharing a slot.
 */
class FormatCacheTest {

    static final Object[] ARGS = {"kernel_clone", 0xffffffff810883e0L, 0xffffffff810883e1L, 0x246L, -7, 'x'};

    /** Formats with every kind of conversion, flags, {@code *}, %p extensions and invalid conversions. */
    static final String[] FORMATS = {
        "handler_pre: <%s> p->addr = 0x%p, ip = %lx, flags = 0x%lx\n",
        "\0016plain text, no conversion\n",
        "%-12s|%+5d|%#o|%%|%c",
        "%*s|%-*d|%.*s|%*.*lx", "%s %pS %ps %pB %px %pK %pe %pa %pks %pI4 %pabc!",
        "%5.3hhd %hx %llu %zu %td %Lx %i", "trailing %", "stop at %f, never %s", "%05.3d%.d%.0d",
        "%", "%%%", "%#x %#X %#o %#5o", "%*d", "%.*d", "%-*.*s|",
    };

    /** Output of a formatter that has never seen the format (a fresh cache). */
    static String fresh(String fmt, int size) {
        StringBuilder sb = new StringBuilder();
        new Vsprintf(VsprintfTest.SYMBOLS, SipHashTest.K0, SipHashTest.K1)
                .vsnprintf(sb, size, new String(fmt), ARGS.clone(), false);
        return sb.toString();
    }

    static String format(Vsprintf v, String fmt, int size) {
        StringBuilder sb = new StringBuilder();
        v.vsnprintf(sb, size, fmt, ARGS.clone(), false);
        return sb.toString();
    }

    @Test
    void cachedFormatsPrintAsFreshOnes() {
        Vsprintf v = new Vsprintf(VsprintfTest.SYMBOLS, SipHashTest.K0, SipHashTest.K1);
        for (int round = 0; round < 3; round++) {
            for (String fmt : FORMATS) {
                for (int size : new int[] {1024, 0, 1, 7, 20, 33}) {
                    assertEquals(fresh(fmt, size), format(v, fmt, size), fmt + " size " + size);
                    assertEquals(fresh(fmt, size), format(v, new String(fmt), size), fmt + " (copy) size " + size);
                }
            }
        }
    }

    @Test
    void sameFormatObjectIsDecodedOnce() {
        FormatCache c = new FormatCache();
        String fmt = FORMATS[0];
        ParsedFormat p = c.get(fmt);
        assertSame(p, c.get(fmt));
        String copy = new String(fmt);
        assertNotSame(p, c.get(copy), "an equal string is another format object");
        assertSame(c.get(copy), c.get(copy));
    }

    @Test
    void longFormatsAreNotKept() {
        FormatCache c = new FormatCache();
        String fmt = "%s".repeat(FormatCache.MAX_CACHED_LENGTH);
        assertNotSame(c.get(fmt), c.get(fmt));
    }

    /** Distinct formats in one slot take it in turns, and every one prints its own text. */
    @Test
    void formatsSharingASlotPrintTheirOwnText() {
        List<String> sameSlot = new ArrayList<>();
        int slot = FormatCache.slot(FORMATS[0]);
        sameSlot.add(FORMATS[0]);
        for (int k = 0; sameSlot.size() < 4; k++) {
            String f = "slot " + k + ": %s %p %lx %d\n";
            if (FormatCache.slot(f) == slot) {
                sameSlot.add(f);
            }
        }
        Vsprintf v = new Vsprintf(VsprintfTest.SYMBOLS, SipHashTest.K0, SipHashTest.K1);
        for (int round = 0; round < 3; round++) {
            for (String fmt : sameSlot) {
                assertEquals(fresh(fmt, 1024), format(v, fmt, 1024), fmt);
                assertEquals(fresh(fmt, 1024), format(v, fmt, 1024), fmt);
            }
        }
    }

    /** The one-time WARN belongs to the formatter, not to the decoding: a cached invalid format warns once per formatter. */
    @Test
    void invalidConversionWarnsOncePerFormatter() {
        String fmt = "value %f\n";
        List<String> warnings = new ArrayList<>();
        Vsprintf a = new Vsprintf(null, 1, 2);
        a.setInvalidFormatHandler(warnings::add);
        assertEquals("value ", a.sprintf(fmt, 1.5));
        assertEquals("value ", a.sprintf(fmt, 1.5));
        Vsprintf b = new Vsprintf(null, 1, 2);
        b.setInvalidFormatHandler(warnings::add);
        assertEquals("value ", b.sprintf(fmt, 1.5));
        assertEquals(List.of("Please remove unsupported %f in format string\n",
                "Please remove unsupported %f in format string\n"), warnings);
    }
}
