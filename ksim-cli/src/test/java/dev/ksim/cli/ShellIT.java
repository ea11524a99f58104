package dev.ksim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code ksim shell} on a dumb terminal fed from standard input. */
@Tag("integration")
class ShellIT extends CliTestSupport {
    /** Runs the shell on a dumb terminal; its line endings are the terminal's (CR LF). */
    private Run shell(String input) {
        Run r = ksimWithInput(input, "shell", "--dumb");
        return new Run(r.status(), r.out().replace("\r\n", "\n"), r.err());
    }

    @Test
    void runsLinesUntilEndOfInputAndKeepsGoingAfterFailures() {
        Run r = shell("""
                insmod hello.java
                cat /nosuch
                lsmod
                rmmod hello
                """);
        assertTrue(r.out().contains("root@ksim:~# "), r.out());
        assertTrue(r.out().contains("Module                  Size  Used by\nhello                   4096  0\n"), r.out());
        assertEquals("cat: /nosuch: No such file or directory\n", r.err());
        assertEquals(0, r.status());
    }

    @Test
    void exitLeavesWithItsStatus() {
        Run r = shell("echo bye\nexit 4\necho never\n");
        assertEquals(4, r.status());
        assertTrue(r.out().contains("bye\n") && !r.out().contains("never"), r.out());
    }
}
