package dev.ksim.kernel.printk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rendering: {@link KernelLogFormat} (kernel side) and {@link Dmesg} (util-linux dmesg). */
class LogFormatTest {

    static LogRecord rec(long ts, int level, String text) {
        return new LogRecord(3, ts, 0, level, LogRecord.LOG_NEWLINE, 123, text);
    }

    @Test
    void timestamps() {
        assertEquals("[    0.123456]", KernelLogFormat.time(123_456_789L));
        assertEquals("[    0.000000]", KernelLogFormat.time(0));
        assertEquals("[   12.345678]", KernelLogFormat.time(12_345_678_999L));
        assertEquals("[12345.678901]", KernelLogFormat.time(12_345_678_901_234L));
        assertEquals("[123456.000001]", KernelLogFormat.time(123_456_000_001_000L));
    }

    @Test
    void recordPrintTextPrefixesEveryLine() {
        LogRecord r = rec(1_000_000_000L, 6, "a\nb");
        assertEquals("[    1.000000] a\n[    1.000000] b\n", KernelLogFormat.recordPrintText(r, false, true, false));
        assertEquals("<6>[    1.000000] a\n<6>[    1.000000] b\n",
                KernelLogFormat.recordPrintText(r, true, true, false));
        assertEquals("<6>a\n<6>b\n", KernelLogFormat.recordPrintText(r, true, false, false));
        assertEquals("[    1.000000][  T123] a\n[    1.000000][  T123] b\n",
                KernelLogFormat.recordPrintText(r, false, true, true));
        assertEquals("[    1.000000] \n", KernelLogFormat.recordPrintText(rec(1_000_000_000L, 6, ""), false, true, false));
        assertEquals("[    1.000000] x\n[    1.000000] \n",
                KernelLogFormat.recordPrintText(rec(1_000_000_000L, 6, "x\n"), false, true, false));
    }

    @Test
    void devKmsgLines() {
        LogRecord r = new LogRecord(339, 5_140_900_123L, 0, 6, LogRecord.LOG_NEWLINE, 1, "NET: Registered protocol family 10");
        assertEquals("6,339,5140900,-;NET: Registered protocol family 10\n", KernelLogFormat.devKmsg(r, false));
        assertEquals("6,339,5140900,-,caller=T1;NET: Registered protocol family 10\n", KernelLogFormat.devKmsg(r, true));
        LogRecord cont = new LogRecord(4, 1000, 1, 5, LogRecord.LOG_CONT, 0x80000002, "x");
        assertEquals("13,4,1,c,caller=C2;x\n", KernelLogFormat.devKmsg(cont, true));
        LogRecord esc = rec(0, 4, "a\\b\n\tc\u0001é\u007f");
        assertEquals("4,3,0,-;a\\x5cb\\x0a\\x09c\\x01\\xc3\\xa9\\x7f\n", KernelLogFormat.devKmsg(esc, false));
    }

    @Test
    void dmesgDefaultFormat() {
        Dmesg d = Dmesg.defaults();
        assertEquals("[    0.123456] text\n", d.format(rec(123_456_789L, 6, "text")));
        assertEquals("[   12.345678] kprobe_init: Planted kprobe at 00000000a1b2c3d4\n",
                d.format(rec(12_345_678_000L, 6, "kprobe_init: Planted kprobe at 00000000a1b2c3d4")));
    }

    @Test
    void dmesgIndentsContinuationLinesUnlessForced() {
        LogRecord r = rec(1_000_000_000L, 6, "first\nsecond\n\nfourth");
        assertEquals("[    1.000000] first\n               second\n               \n               fourth\n",
                Dmesg.defaults().format(r));
        assertEquals("[    1.000000] first\n[    1.000000] second\n[    1.000000] fourth\n",
                Dmesg.defaults().forcePrefix(true).format(r));
    }

    @Test
    void dmesgPrintsEmptyRecordsAsBareNewlines() {
        assertEquals("\n", Dmesg.defaults().format(rec(1, 6, "")));
    }

    @Test
    void dmesgOptions() {
        LogRecord r = rec(1_000_000_000L, 6, "hello");
        assertEquals("hello\n", Dmesg.defaults().time(Dmesg.TimeFormat.NONE).format(r));
        assertEquals("kern  :info  : [    1.000000] hello\n", Dmesg.defaults().decode(true).format(r));
        assertEquals("<6>[    1.000000] hello\n", Dmesg.defaults().raw(true).format(r));
        assertEquals("[    1.000000] [   T123] hello\n", Dmesg.defaults().caller(7).format(r));
        // 2024-01-02 03:04:05 UTC boot, message 1 s later
        long boot = 1_704_164_645_000_000L;
        assertEquals("[Tue Jan  2 03:04:06 2024] hello\n",
                Dmesg.defaults().ctime(boot, ZoneId.of("UTC")).format(r));
    }

    @Test
    void dmesgEscapesUnprintables() {
        LogRecord r = rec(0, 6, "a\u0001b\tc é\u0000");
        assertEquals("[    0.000000] a\\x01b\tc é\\x00\n", Dmesg.defaults().format(r));
        assertEquals("[    0.000000] a\u0001b\tc é\u0000\n", Dmesg.defaults().noEscape(true).format(r));
    }

    @Test
    void dmesgLevelAndFacilityFilters() {
        List<LogRecord> rs = List.of(rec(0, 3, "err"), rec(0, 4, "warn"), rec(0, 6, "info"),
                new LogRecord(9, 0, 1, 3, 0, 1, "user err"));
        assertEquals("[    0.000000] err\n[    0.000000] warn\n[    0.000000] user err\n",
                Dmesg.defaults().levels("err,warn").format(rs));
        assertEquals("[    0.000000] err\n[    0.000000] warn\n",
                Dmesg.defaults().levels("ERR,4").kernelOnly().format(rs));
        assertEquals("[    0.000000] user err\n", Dmesg.defaults().userspaceOnly().format(rs));
        assertEquals("[    0.000000] user err\n", Dmesg.defaults().facilities("user").format(rs));
        assertFalse(Dmesg.defaults().levels("emerg").accepts(rs.get(0)));
        assertTrue(Dmesg.defaults().accepts(rs.get(0)));
        assertEquals(0b1001_0000, Dmesg.parseLevels("warn,debug"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dmesg.parseLevels("err,bogus"));
        assertEquals("unknown level 'bogus'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dmesg.parseLevels("8"));
        assertEquals("warn", Dmesg.levelName(4));
    }

    @Test
    void printkToDmesgEndToEnd() {
        LogBuffer log = new LogBuffer();
        long[] now = {38_832_553_000L};
        Printk printk = new Printk(log, new Vsprintf(SymbolLookup.NONE, 1, 2), () -> now[0]);
        printk.vprintk("\0016%s: loading out-of-tree module taints kernel.\n", new Object[] {"test"},
                CallerInfo.task(2786, 1));
        assertEquals("[   38.832553] test: loading out-of-tree module taints kernel.\n",
                Dmesg.defaults().format(log.readAll()));
        assertEquals("[   38.832553][ T2786] test: loading out-of-tree module taints kernel.\n",
                KernelLogFormat.recordPrintText(log.read(0), false, true, true));
    }
}
