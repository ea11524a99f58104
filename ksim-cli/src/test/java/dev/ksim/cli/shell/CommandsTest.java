package dev.ksim.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The command names the launcher forwards are exactly the session's commands and builtins. */
class CommandsTest {
    @Test
    void namesMatchTheCommandsAndBuiltins() {
        Set<String> expected = new TreeSet<>(Commands.commandLine().getSubcommands().keySet());
        expected.addAll(Commands.BUILTINS);
        assertEquals(expected, new TreeSet<>(Commands.NAMES));
    }
}
