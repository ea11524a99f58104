package dev.ksim.cli.work;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** binutils' 21-column symbol names. */
class ReadelfCommandTest {

    @Test
    void longNamesKeepTheirStartAndVersion() {
        assertEquals("foo", ReadelfCommand.fit("foo"));
        assertEquals("_GLOBAL_OFFSET_TABLE_", ReadelfCommand.fit("_GLOBAL_OFFSET_TABLE_"), "21 fit");
        assertEquals("__libc_start_mai[...]", ReadelfCommand.fit("__libc_start_main@GLIBC_2.34"));
        assertEquals("_[...]@GLIBC_2.34 (2)", ReadelfCommand.fit("__libc_start_main@GLIBC_2.34 (2)"));
        assertEquals("puts@GLIBC_2.2.5 (3)", ReadelfCommand.fit("puts@GLIBC_2.2.5 (3)"));
        assertEquals("[...]@GLIBC_2.2.5 (3)", ReadelfCommand.fit("__cxa_finalize@GLIBC_2.2.5 (3)"));
    }
}
