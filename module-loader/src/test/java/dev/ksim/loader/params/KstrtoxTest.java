package dev.ksim.loader.params;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ksim.sdk.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** lib/kstrtox.c: base detection, the trailing newline, range checks, and kstrtobool. */
class KstrtoxTest {
    @ParameterizedTest
    @CsvSource({"42,42", "0x1f,31", "0X1F,31", "017,15", "0,0", "+7,7", "-7,-7", "-0x10,-16", "2147483647,2147483647",
        "-2147483648,-2147483648"})
    void intsParseInBaseZero(String in, long expected) {
        assertEquals(expected, Kstrtox.signed(in, 32));
    }

    @ParameterizedTest
    @CsvSource({"2147483648,-34", "-2147483649,-34", "99999999999999999999,-34", "'',-22", "abc,-22", "08,-22",
        "0x,-22", "'1 ',-22", "- 1,-22", "--1,-22"})
    void badIntsAreEinvalOrErange(String in, int errno) {
        assertEquals(errno, assertThrows(ParamException.class, () -> Kstrtox.signed(in, 32)).errno);
    }

    @Test
    void oneTrailingNewlineIsAccepted() {
        assertEquals(5, Kstrtox.signed("5\n", 32));
        assertEquals(-Errno.EINVAL, assertThrows(ParamException.class, () -> Kstrtox.signed("5\n\n", 32)).errno);
    }

    @Test
    void unsignedRejectsMinusAndChecksWidth() {
        assertEquals(-Errno.EINVAL, assertThrows(ParamException.class, () -> Kstrtox.unsigned("-1", 32)).errno);
        assertEquals(0xffffffffL, Kstrtox.unsigned("4294967295", 32));
        assertEquals(-Errno.ERANGE, assertThrows(ParamException.class, () -> Kstrtox.unsigned("4294967296", 32)).errno);
        assertEquals(-1L, Kstrtox.unsigned("18446744073709551615", 64));
        assertEquals(-Errno.ERANGE, assertThrows(ParamException.class,
                () -> Kstrtox.unsigned("18446744073709551616", 64)).errno);
        assertEquals(255, Kstrtox.unsigned("0xff", 8));
        assertEquals(-Errno.ERANGE, assertThrows(ParamException.class, () -> Kstrtox.unsigned("256", 8)).errno);
    }

    @ParameterizedTest
    @CsvSource({"y,true", "Y,true", "1,true", "t,true", "on,true", "yes,true", "n,false", "N,false", "0,false",
        "f,false", "off,false", "no,false"})
    void kstrtobool(String in, boolean expected) {
        assertEquals(expected, Kstrtox.kstrtobool(in));
    }

    @ParameterizedTest
    @CsvSource({"''", "x", "o", "2", "maybe"})
    void badBoolsAreEinval(String in) {
        assertEquals(-Errno.EINVAL, assertThrows(ParamException.class, () -> Kstrtox.kstrtobool(in)).errno);
    }
}
