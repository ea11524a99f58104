package dev.ksim.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** coreutils' DURATION: a number, optionally fractional, with an optional s, m, h or d. */
class TimeoutCommandTest {

    @Test
    void durations() {
        assertEquals(3000, TimeoutCommand.parse("3"));
        assertEquals(200, TimeoutCommand.parse("0.2"));
        assertEquals(500, TimeoutCommand.parse(".5s"));
        assertEquals(120_000, TimeoutCommand.parse("2m"));
        assertEquals(3_600_000, TimeoutCommand.parse("1h"));
        assertEquals(86_400_000, TimeoutCommand.parse("1d"));
        assertEquals(-1, TimeoutCommand.parse("x"));
        assertEquals(-1, TimeoutCommand.parse("-1"));
        assertEquals(-1, TimeoutCommand.parse(""));
    }
}
