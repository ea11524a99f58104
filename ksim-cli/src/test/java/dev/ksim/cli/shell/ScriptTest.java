package dev.ksim.cli.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The shell subset: words, quotes, comments, redirection and lists. */
class ScriptTest {
    private static List<Script.Command> parse(String line) throws Script.SyntaxError {
        return Script.parse(line).commands();
    }

    @Test
    void wordsQuotesAndComments() throws Exception {
        assertEquals(List.of("insmod", "m.jar", "symbol=vfs_read", "a b", "c\"d", "e f"),
                parse("insmod m.jar symbol=vfs_read 'a b' \"c\\\"d\" e\\ f # comment").get(0).words());
        assertEquals(List.of(), parse("   # only a comment"));
        assertEquals(List.of("echo", "#not"), parse("echo \\#not").get(0).words());
    }

    @Test
    void redirectionAndLists() throws Exception {
        List<Script.Command> c = parse("echo 1 > /proc/x; cat a && cat b || echo c & echo 2>>f");
        assertEquals(5, c.size());
        assertEquals(">", c.get(0).redirect());
        assertEquals("/proc/x", c.get(0).target());
        assertEquals(Script.Joiner.SEQUENCE, c.get(0).joiner());
        assertEquals(Script.Joiner.AND, c.get(1).joiner());
        assertEquals(Script.Joiner.OR, c.get(2).joiner());
        assertEquals(Script.Joiner.BACKGROUND, c.get(3).joiner());
        assertEquals(List.of("echo", "2"), c.get(4).words());
        assertEquals(">>", c.get(4).redirect());
    }

    @Test
    void argvOperatorsWorkAsInALine() throws Exception {
        Script s = Script.ofArgv(List.of("echo", "1", ">", "/tmp/x"));
        assertEquals(List.of("echo", "1"), s.commands().get(0).words());
        assertEquals("/tmp/x", s.commands().get(0).target());
    }

    @Test
    void syntaxErrorsInBashsWords() {
        assertEquals("unexpected EOF while looking for matching `''",
                assertThrows(Script.SyntaxError.class, () -> parse("echo 'x")).getMessage());
        assertEquals("syntax error near unexpected token `newline'",
                assertThrows(Script.SyntaxError.class, () -> parse("echo x >")).getMessage());
        assertEquals("syntax error near unexpected token `;'",
                assertThrows(Script.SyntaxError.class, () -> parse("; echo")).getMessage());
    }

    @Test
    void xtraceQuoting() {
        assertEquals("symbol=vfs_read", Script.quote("symbol=vfs_read"));
        assertEquals("'a b'", Script.quote("a b"));
        assertEquals("''", Script.quote(""));
        assertEquals("'it'\\''s'", Script.quote("it's"));
    }
}
