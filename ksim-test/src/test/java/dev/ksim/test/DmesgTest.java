package dev.ksim.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class DmesgTest {
    private final Dmesg log = new Dmesg(List.of("Planted kprobe at 00000000deadbeef", "handler_pre: a",
            "handler_pre: b", "kprobe unregistered"));

    @Test
    void passingAssertionsChain() {
        log.containsLine("handler_pre: a")
                .containsLineMatching("Planted kprobe at [0-9a-f]{16}")
                .containsText("unregistered")
                .containsInOrder("Planted .*", "handler_pre: .*", "handler_pre: .*", "kprobe unregistered")
                .hasLinesMatching(2, "handler_pre: .*")
                .doesNotContainLineMatching("BUG: .*");
        assertEquals("b", log.findAll("handler_pre: (.)").get(1).group(1));
        assertEquals("deadbeef", log.find("Planted kprobe at 00000000(\\p{XDigit}+)").group(1));
    }

    @Test
    void aMissingLineShowsTheNumberedLog() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> log.containsLine("handler_pre: c"));
        assertTrue(e.getMessage().startsWith("no line \"handler_pre: c\" in dmesg (4 lines):\n"), e.getMessage());
        assertTrue(e.getMessage().contains("   2 | handler_pre: a\n"), e.getMessage());
        assertEquals("handler_pre: c", e.getExpected().getValue());
    }

    @Test
    void aPatternMatchesWholeLinesOnly() {
        assertThrows(AssertionFailedError.class, () -> log.containsLineMatching("handler_pre"));
    }

    @Test
    void orderMatters() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> log.containsInOrder("kprobe unregistered", "handler_pre: a"));
        assertTrue(e.getMessage().startsWith("no line matching /handler_pre: a/ after line 4"), e.getMessage());
    }

    @Test
    void countsAreExact() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> log.hasLinesMatching(3, "handler_pre: .*"));
        assertTrue(e.getMessage().startsWith("expected 3 lines matching /handler_pre: .*/ but found 2"),
                e.getMessage());
        assertThrows(AssertionFailedError.class, () -> log.doesNotContainLineMatching("handler_pre: b"));
    }
}
