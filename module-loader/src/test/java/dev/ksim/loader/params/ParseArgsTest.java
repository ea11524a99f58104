package dev.ksim.loader.params;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.loader.image.ParamSpec;
import dev.ksim.sdk.Errno;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kernel/params.c: parse_args(), next_arg() and the param_ops of each type, messages included. */
class ParseArgsTest {
    /** The parameters of a module, as fields. */
    public static final class Mod {
        public int count = 3;
        public int ucount;
        public short s;
        public short us;
        public long big;
        public boolean verbose;
        public boolean quiet;
        public String name = "x";
        public String tag = "t";
        public byte b;
    }

    private final Mod mod = new Mod();
    private final List<String> log = new ArrayList<>();
    private final List<BoundParam> params = List.of(
            p("count", ParamType.INT, "I", 0), p("ucount", ParamType.UINT, "I", 0), p("s", ParamType.SHORT, "S", 0),
            p("us", ParamType.USHORT, "S", 0), p("big", ParamType.ULONG, "J", 0), p("verbose", ParamType.BOOL, "Z", 0),
            p("quiet", ParamType.INVBOOL, "Z", 0), p("name", ParamType.CHARP, "Ljava/lang/String;", 0),
            p("tag", ParamType.STRING, "Ljava/lang/String;", 8), p("b", ParamType.BYTE, "B", 0));

    private BoundParam p(String name, ParamType t, String desc, int maxlen) {
        return new BoundParam(new ParamSpec(name, t, 0644, "", maxlen, name, desc), mod);
    }

    private int parse(String args) {
        return ParseArgs.parse("mod", args, params, (fmt, a) -> log.add(String.format(fmt.substring(2).replace("%u", "%d"),
                a).replace("\n", "")));
    }

    private String get(String name) {
        return params.stream().filter(x -> x.spec().name().equals(name)).findFirst().orElseThrow().get();
    }

    @Test
    void setsEachTypeAndPrintsItAsGetDoes() {
        assertEquals(0, parse("count=-5 ucount=0xffffffff s=-1 us=65535 big=18446744073709551615 verbose quiet=1 "
                + "name=vfs_read tag=abcdefg b=255"));
        assertEquals(List.of(), log);
        assertEquals("-5\n", get("count"));
        assertEquals("4294967295\n", get("ucount"));
        assertEquals("-1\n", get("s"));
        assertEquals("65535\n", get("us"));
        assertEquals("18446744073709551615\n", get("big"));
        assertEquals("Y\n", get("verbose"));
        assertEquals("Y\n", get("quiet"));
        assertEquals(false, mod.quiet, "invbool stores the inverse");
        assertEquals("vfs_read\n", get("name"));
        assertEquals("abcdefg\n", get("tag"));
        assertEquals("255\n", get("b"));
    }

    @Test
    void invalidValuesKeepGoingAndReturnTheLastError() {
        assertEquals(-Errno.ERANGE, parse("count=abc verbose=maybe s=40000"));
        assertEquals(List.of("mod: `abc' invalid for parameter `count'", "mod: `maybe' invalid for parameter `verbose'",
                "mod: `40000' invalid for parameter `s'"), log);
        assertEquals("3\n", get("count"));
    }

    @Test
    void aValueIsNeededExceptForBools() {
        assertEquals(-Errno.EINVAL, parse("count"));
        assertEquals(List.of("mod: `' invalid for parameter `count'"), log);
    }

    @Test
    void stringsThatDoNotFitAreEnospc() {
        assertEquals(-Errno.ENOSPC, parse("tag=abcdefgh"));
        assertEquals(List.of("tag: string doesn't fit in 7 chars.", "mod: `abcdefgh' too large for parameter `tag'"), log);
        assertEquals(-Errno.ENOSPC, parse("name=" + "x".repeat(1025)));
        assertEquals("name: string parameter too long", log.get(2));
    }

    @Test
    void unknownParametersAreIgnoredWithAWarning() {
        assertEquals(0, parse("nosuch=1 dyndbg=+p count=2"));
        assertEquals(List.of("mod: unknown parameter 'nosuch' ignored"), log);
        assertEquals("2\n", get("count"));
    }

    @Test
    void quotesGroupAndDashesMatchUnderscores() {
        assertEquals(0, parse("name=\"a b\" \"tag=c d\""));
        assertEquals("a b\n", get("name"));
        assertEquals("c d\n", get("tag"));
        assertEquals(0, parse("  count=9   "));
        assertEquals("9\n", get("count"));
    }

    @Test
    void optionsAfterDoubleDashAreIgnored() {
        assertEquals(0, parse("count=1 -- count=2 x"));
        assertEquals("1\n", get("count"));
        assertEquals(List.of("mod: parameters 'count=2 x' after `--' ignored"), log);
    }

    @Test
    void sysfsWritesKeepTheNewlineOfStrings() {
        BoundParam name = params.get(7);
        assertEquals(0, name.set("vfs_read\n", (f, a) -> { }));
        assertEquals("vfs_read\n\n", name.get());
        assertEquals(0, params.get(0).set("12\n", (f, a) -> { }));
        assertEquals("12\n", params.get(0).get());
    }
}
