package dev.ksim.test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentest4j.AssertionFailedError;

/**
 * The kernel log's messages (no timestamps), one per line, with fluent assertions whose failures show the
 * whole log:
 *
 * <pre>{@code
 * k.dmesg().containsLine("kprobe_init: Planted kprobe at 00000000c0ffee00")
 *          .containsLineMatching("handler_pre: <kernel_clone> p->addr = 0x\\p{XDigit}{16}, .*")
 *          .containsInOrder("Planted return probe at kernel_clone: .*", "kretprobe at .* unregistered")
 *          .hasLinesMatching(2, "kernel_clone returned \\d+ .*");
 * }</pre>
 *
 * <p>A pattern must match a whole line. A snapshot: later messages need a new {@link TestKernel#dmesg()}.
 */
public final class Dmesg {
    private final List<String> lines;

    /** @param lines the messages, one per line */
    public Dmesg(List<String> lines) {
        this.lines = List.copyOf(lines);
    }

    /** @return the lines */
    public List<String> lines() {
        return lines;
    }

    /** @return the lines joined, each ending in a newline */
    public String text() {
        StringBuilder b = new StringBuilder();
        lines.forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }

    /**
     * @param line a whole line
     * @return this
     * @throws AssertionFailedError if no line equals it
     */
    public Dmesg containsLine(String line) {
        if (!lines.contains(line)) {
            throw fail("no line \"" + line + "\"", line);
        }
        return this;
    }

    /**
     * @param regex a pattern for a whole line
     * @return this
     * @throws AssertionFailedError if no line matches it
     */
    public Dmesg containsLineMatching(String regex) {
        find(regex);
        return this;
    }

    /**
     * @param text a piece of text
     * @return this
     * @throws AssertionFailedError if no line contains it
     */
    public Dmesg containsText(String text) {
        if (lines.stream().noneMatch(l -> l.contains(text))) {
            throw fail("no line contains \"" + text + "\"", text);
        }
        return this;
    }

    /**
     * @param regex a pattern for a whole line
     * @return this
     * @throws AssertionFailedError if some line matches it
     */
    public Dmesg doesNotContainLineMatching(String regex) {
        Pattern p = Pattern.compile(regex);
        for (int i = 0; i < lines.size(); i++) {
            if (p.matcher(lines.get(i)).matches()) {
                throw fail("line " + (i + 1) + " matches /" + regex + "/ but should not: " + lines.get(i), "");
            }
        }
        return this;
    }

    /**
     * Each pattern matches a whole line, each after the line the previous one matched.
     *
     * @param regexes the patterns, in order
     * @return this
     * @throws AssertionFailedError naming the first pattern not found after the previous match
     */
    public Dmesg containsInOrder(String... regexes) {
        int from = 0;
        for (String regex : regexes) {
            Pattern p = Pattern.compile(regex);
            int at = -1;
            for (int i = from; i < lines.size(); i++) {
                if (p.matcher(lines.get(i)).matches()) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                throw fail("no line matching /" + regex + "/ after line " + from + " (in order: "
                        + String.join(" , ", regexes) + ")", String.join("\n", regexes));
            }
            from = at + 1;
        }
        return this;
    }

    /**
     * @param count how many lines
     * @param regex a pattern for a whole line
     * @return this
     * @throws AssertionFailedError if a different number of lines matches
     */
    public Dmesg hasLinesMatching(int count, String regex) {
        long n = count(regex);
        if (n != count) {
            throw new AssertionFailedError("expected " + count + " lines matching /" + regex + "/ but found " + n
                    + "\n" + numbered(), count, n);
        }
        return this;
    }

    /**
     * @param regex a pattern for a whole line
     * @return how many lines match it
     */
    public long count(String regex) {
        Pattern p = Pattern.compile(regex);
        return lines.stream().filter(l -> p.matcher(l).matches()).count();
    }

    /**
     * The first line that matches, for reading its groups.
     *
     * @param regex a pattern for a whole line
     * @return the matcher, matched
     * @throws AssertionFailedError if no line matches
     */
    public Matcher find(String regex) {
        Pattern p = Pattern.compile(regex);
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.matches()) {
                return m;
            }
        }
        throw fail("no line matching /" + regex + "/", regex);
    }

    /**
     * @param regex a pattern for a whole line
     * @return every line that matches, matched, in order
     */
    public List<Matcher> findAll(String regex) {
        Pattern p = Pattern.compile(regex);
        List<Matcher> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.matches()) {
                out.add(m);
            }
        }
        return out;
    }

    private AssertionFailedError fail(String what, String expected) {
        return new AssertionFailedError(what + " in dmesg (" + lines.size() + " lines):\n" + numbered(), expected,
                text());
    }

    private String numbered() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            b.append(String.format("%4d | %s%n", i + 1, lines.get(i)));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return text();
    }
}
