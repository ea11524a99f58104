package dev.ksim.kernel.printk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link Printk}: levels, stripping, continuation merging, limits, as vprintk_store() does them. */
class PrintkTest {

    static final String KERN_SOH = "\001";
    static final String KERN_ERR = KERN_SOH + "3";
    static final String KERN_INFO = KERN_SOH + "6";
    static final String KERN_DEBUG = KERN_SOH + "7";
    static final String KERN_DEFAULT = KERN_SOH + "d";
    static final String KERN_CONT = KERN_SOH + "c";

    static final CallerInfo T1 = CallerInfo.task(1, 0);
    static final CallerInfo T2 = CallerInfo.task(2, 1);

    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final LogBuffer log = new LogBuffer();
    final Printk printk = new Printk(log, new Vsprintf(SymbolLookup.NONE, 1, 2), clock::get);

    int p(CallerInfo who, String fmt, Object... args) {
        return printk.vprintk(fmt, args, who);
    }

    List<LogRecord> all() {
        return log.records(0);
    }

    @Test
    void levelHeaderIsParsedAndStripped() {
        assertEquals(11, p(T1, KERN_INFO + "hello %s\n", "world"));
        LogRecord r = log.read(0);
        assertEquals("hello world", r.text());
        assertEquals(6, r.level());
        assertEquals(0, r.facility());
        assertEquals(LogRecord.LOG_NEWLINE, r.flags());
        assertEquals(1_000_000_000L, r.timestampNanos());
        assertEquals(1, r.callerId());
    }

    @Test
    void noLevelMeansDefaultLevelFour() {
        p(T1, "plain\n");
        p(T1, KERN_DEFAULT + "dflt\n");
        assertEquals(4, all().get(0).level());
        assertEquals("dflt", all().get(1).text());
        assertEquals(4, all().get(1).level());
        printk.setDefaultMessageLoglevel(6);
        p(T1, "later\n");
        assertEquals(6, all().get(2).level());
    }

    @Test
    void firstOfSeveralLevelsWinsAndAllHeadersGo() {
        p(T1, KERN_INFO + KERN_ERR + "x\n");
        assertEquals(6, log.read(0).level());
        assertEquals("x", log.read(0).text());
    }

    @Test
    void levelIsReadFromTheFirstSevenCharactersOnly() {
        // prefix_buf holds 7 characters: the fourth header is stripped but its level is not seen
        p(T1, KERN_CONT + KERN_CONT + KERN_CONT + KERN_ERR + "x\n");
        LogRecord r = log.read(0);
        assertEquals("x", r.text());
        assertEquals(4, r.level());
    }

    @Test
    void headerMayComeFromAnArgument() {
        p(T1, "%sfrom arg\n", KERN_ERR);
        assertEquals(3, log.read(0).level());
        assertEquals("from arg", log.read(0).text());
    }

    @Test
    void returnCountsStoredCharacters() {
        assertEquals(5, p(T1, KERN_INFO + "hello\n"));
        assertEquals(0, p(T1, KERN_INFO + "\n"));
        assertEquals("", log.read(1).text());
        assertEquals(6, p(T1, "a\nb\nc\n\n"), "only one newline is stripped");
        assertEquals("a\nb\nc\n", log.read(2).text());
    }

    @Test
    void continuationFromTheSameCallerMerges() {
        p(T1, KERN_INFO + "a");
        assertNull(log.read(0), "an open record is not visible");
        assertEquals(1, p(T1, KERN_CONT + "b"));
        p(T1, KERN_CONT + KERN_ERR + "c\n");
        List<LogRecord> rs = all();
        assertEquals(1, rs.size());
        assertEquals("abc", rs.get(0).text());
        assertEquals(6, rs.get(0).level(), "a merged fragment's level is ignored");
        assertEquals(LogRecord.LOG_NEWLINE, rs.get(0).flags());
    }

    @Test
    void mergedRecordKeepsTheFirstTimestamp() {
        p(T1, KERN_INFO + "a");
        clock.addAndGet(5_000);
        p(T1, KERN_CONT + "b\n");
        assertEquals(1_000_000_000L, log.read(0).timestampNanos());
    }

    @Test
    void continuationFromAnotherCallerStartsAFlaggedRecord() {
        p(T1, KERN_INFO + "a");
        p(T2, KERN_CONT + "b\n");
        List<LogRecord> rs = all();
        assertEquals(2, rs.size());
        assertEquals("a", rs.get(0).text());
        assertEquals(0, rs.get(0).flags());
        assertEquals("b", rs.get(1).text());
        assertEquals(4, rs.get(1).level());
        assertEquals(LogRecord.LOG_CONT | LogRecord.LOG_NEWLINE, rs.get(1).flags());
        assertEquals(2, rs.get(1).callerId());
    }

    @Test
    void interruptContextIsADifferentCaller() {
        CallerInfo irq = CallerInfo.irq(0);
        p(CallerInfo.task(7, 0), KERN_INFO + "task ");
        p(irq, KERN_CONT + "irq\n");
        assertEquals(2, all().size());
        assertEquals("C0", all().get(1).caller());
        assertEquals(0x80000000, all().get(1).callerId());
    }

    @Test
    void continuationAfterATerminatedLineIsSeparate() {
        p(T1, KERN_INFO + "a\n");
        p(T1, KERN_CONT + KERN_INFO + "b\n");
        assertEquals(2, all().size());
        assertEquals(6, all().get(1).level());
        assertTrue(all().get(1).isContinuation());
    }

    @Test
    void anotherRecordFinalizesAnOpenOne() {
        p(T1, KERN_INFO + "a");
        p(T1, KERN_INFO + "b\n"); // not KERN_CONT: a new record, even from the same caller
        p(T1, KERN_CONT + "c\n");
        assertEquals(List.of("a", "b", "c"), all().stream().map(LogRecord::text).toList());
    }

    @Test
    void continuationMustFitInOneRecord() {
        String big = "x".repeat(1000);
        p(T1, KERN_INFO + big);
        p(T1, KERN_CONT + "%s\n", "y".repeat(22)); // 1000 + 26 (with header, newline and NUL) > 1024
        assertEquals(2, all().size());
        p(T1, KERN_INFO + big);
        p(T1, KERN_CONT + "%s\n", "y".repeat(20)); // 1000 + 24 = 1024 fits
        assertEquals(3, all().size());
        assertEquals(1020, all().get(2).text().length());
    }

    @Test
    void longMessagesAreCutAt1023CharactersAndLoseTheirNewline() {
        String text = "z".repeat(2000);
        assertEquals(1023, p(T1, "%s\n", text));
        assertNull(log.read(0), "the newline was cut off, so the record is still open");
        p(T1, "next\n");
        assertEquals(1023, log.read(0).text().length());
        assertEquals(0, log.read(0).flags());
        assertEquals(1021, p(T1, KERN_INFO + "%s\n", text), "the header counts against the limit");
    }

    @Test
    void userspaceFacilityKeepsTextVerbatim() {
        printk.vprintkEmit(1, 5, "%s", new Object[] {KERN_ERR + "<user>\n"}, T1);
        LogRecord r = log.read(0);
        assertEquals(KERN_ERR + "<user>", r.text());
        assertEquals(5, r.level());
        assertEquals(13, r.prio());
    }

    @Test
    void nestedPrintkIsCappedAtThreeLevels() {
        HasAddress recursive = new HasAddress() {
            @Override
            public long address() {
                p(T1, "nested %px\n", this);
                return 0x1234;
            }
        };
        p(T1, "outer %px\n", recursive);
        // the outer call and three nested ones are stored; the fifth is dropped
        assertEquals(4, all().size());
        assertEquals("nested 0000000000001234", all().get(0).text());
        assertEquals("outer 0000000000001234", all().get(3).text());
    }

    @Test
    void nullCallerIsTheBootTask() {
        printk.vprintk("boot\n", null, null);
        assertEquals("T0", log.read(0).caller());
    }

    /**
     * printk from within printk (here: while formatting its {@code %p} argument) nests at most
     * {@link Printk#MAX_RECURSION} levels below the first call; the count belongs to the context (the
     * kernel's per-CPU {@code printk_count}), so another CPU's context still prints meanwhile.
     */
    @Test
    void recursionIsLimitedPerContext() {
        Printk.Context cpu0 = new Printk.Context();
        Printk.Context cpu1 = new Printk.Context();
        List<Integer> nested = new ArrayList<>();
        List<Integer> otherCpu = new ArrayList<>();
        HasAddress[] reentrant = new HasAddress[1];
        reentrant[0] = () -> {
            int n = printk.vprintk(KERN_INFO + "level %p\n", new Object[] {reentrant[0]}, T1, cpu0);
            nested.add(n);
            if (n == 0 && otherCpu.isEmpty()) {
                otherCpu.add(printk.vprintk(KERN_INFO + "cpu1\n", null, T2, cpu1));
            }
            return 0xffff888000001000L;
        };
        assertEquals(22, printk.vprintk(KERN_INFO + "level %p\n", new Object[] {reentrant[0]}, T1, cpu0));
        assertEquals(List.of(0, 22, 22, 22), nested, "levels 2 to 4 print, a fifth is dropped");
        assertEquals(List.of(4), otherCpu);
        assertEquals(5, all().size());
        assertEquals("cpu1", all().get(0).text());
        assertEquals(22, printk.vprintk(KERN_INFO + "again %p\n", new Object[] {0xffff888000001000L}, T1, cpu0),
                "the depth is given back");
    }
}
