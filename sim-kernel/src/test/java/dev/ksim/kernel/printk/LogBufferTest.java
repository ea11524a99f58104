package dev.ksim.kernel.printk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link LogBuffer}: capacity, overwriting, lost records, clearing, waiting, listeners, concurrency. */
class LogBufferTest {

    /** Stores a terminated kernel record as printk would (text + newline + NUL reserved). */
    static void put(LogBuffer log, String text) {
        log.store(0, 0, 6, LogRecord.LOG_NEWLINE, 1, text, text.length() + 2);
    }

    static void putOpen(LogBuffer log, String text) {
        log.store(0, 0, 6, 0, 1, text, text.length() + 1);
    }

    @Test
    void sizes() {
        assertEquals(128 * 1024, new LogBuffer().size());
        assertEquals(4096, new LogBuffer().maxRecords());
        assertEquals(4096, new LogBuffer(12).size());
        assertEquals(128, new LogBuffer(12).maxRecords());
        assertThrows(IllegalArgumentException.class, () -> new LogBuffer(11));
        assertThrows(IllegalArgumentException.class, () -> new LogBuffer(26));
    }

    @Test
    void descriptorRingBoundsTheRecordCount() {
        LogBuffer log = new LogBuffer(12); // 128 descriptors; 300 empty records need 16 bytes each
        for (int k = 0; k < 300; k++) {
            put(log, "");
        }
        assertEquals(300, log.nextSeq());
        assertEquals(172, log.firstSeq());
        List<LogRecord> rs = log.records(0);
        assertEquals(128, rs.size());
        assertEquals(172, rs.get(0).seq());
        assertEquals(299, rs.get(127).seq());
    }

    @Test
    void dataRingBoundsTheBytesAndWastesTheTailOnWrap() {
        LogBuffer log = new LogBuffer(12); // 4096 bytes
        String text = "m".repeat(56); // reserve 58 -> 72-byte blocks; 56 blocks fill 4032 bytes
        for (int k = 0; k < 56; k++) {
            put(log, text);
        }
        assertEquals(0, log.firstSeq());
        put(log, text); // 64 bytes left at the end: the block wraps and overwrites record 0 only
        assertEquals(1, log.firstSeq());
        put(log, text);
        assertEquals(2, log.firstSeq());
        assertEquals(58, log.nextSeq());
    }

    @Test
    void aWrappingBlockWastesTheEndOfTheArray() {
        LogBuffer log = new LogBuffer(12);
        put(log, "a".repeat(998)); // 1008-byte block at 0
        put(log, "b".repeat(1022)); // 1032-byte blocks at 1008 and 2040
        put(log, "c".repeat(1022));
        assertEquals(0, log.firstSeq());
        // 3072 + 1032 > 4096: the block goes to the start of the next wrap, ending at 5128,
        // so everything that begins before 1032 goes: records 0 and 1, not just 0
        put(log, "d".repeat(1022));
        assertEquals(2, log.firstSeq());
    }

    @Test
    void aContinuationWhoseBlockGrowsAcrossTheEndMovesItsTextToTheStart() {
        LogBuffer log = new LogBuffer(12);
        String full = "m".repeat(40); // reserve 42 -> 56-byte blocks; 72 of them end at 4032
        for (int k = 0; k < 72; k++) {
            put(log, full + k % 10);
        }
        putOpen(log, "abc"); // a 16-byte block at 4032
        String cont = "x".repeat(99);
        // 3 + 101 reserved -> a 112-byte block: from 4032 it would cross 4096, so it wraps to [4096, 4208)
        log.store(1, 0, 6, LogRecord.LOG_CONT | LogRecord.LOG_NEWLINE, 1, cont, cont.length() + 2);
        assertEquals(2, log.firstSeq(), "records 0 and 1 begin below 112 and are overwritten");
        assertEquals("abc" + cont, log.read(72).text());
        for (long seq = 2; seq < 72; seq++) {
            assertEquals(full + seq % 10, log.read(seq).text(), "record " + seq);
        }
    }

    @Test
    void everyStoredTextReadsBackAfterManyWraps() {
        LogBuffer log = new LogBuffer(12);
        for (int k = 0; k < 3000; k++) {
            put(log, text(k));
            if (k % 7 == 3) { // a fragment, sometimes merged into the one before
                putOpen(log, "<" + k);
                log.store(0, 0, 6, LogRecord.LOG_CONT | LogRecord.LOG_NEWLINE, 1, ">", 3);
            }
        }
        List<LogRecord> stored = log.records(0);
        assertTrue(stored.size() > 10, "records kept: " + stored.size());
        for (LogRecord r : stored) {
            boolean fragment = r.text().matches("<\\d+>");
            assertTrue(fragment || r.text().equals(text(textIndex(r.text()))), r.text());
        }
        assertEquals("<2999>", log.read(log.nextSeq() - 1).text(), "2999 % 7 == 3: merged fragment last");
        assertEquals(text(2999), log.read(log.nextSeq() - 2).text());
    }

    /** A text of 0..300 characters that names its index. */
    private static String text(int k) {
        String head = k + ":";
        return head + "abcdefghijklmnopqrstuvwxyz".repeat(12).substring(0, (k * 37) % 300);
    }

    private static int textIndex(String text) {
        return Integer.parseInt(text.substring(0, text.indexOf(':')));
    }

    @Test
    void readersCountOverwrittenRecordsAsLost() {
        LogBuffer log = new LogBuffer(12);
        LogReader reader = log.reader();
        for (int k = 0; k < 300; k++) {
            put(log, "r" + k);
        }
        LogRecord r = reader.poll();
        assertEquals(172, r.seq());
        assertEquals("r172", r.text());
        assertEquals(172, reader.lost());
        assertEquals(173, reader.poll().seq());
        assertEquals(172, reader.lost());
        assertEquals(172, log.read(5).seq(), "read() returns the next valid record, like prb_read_valid");
    }

    @Test
    void openRecordIsInvisibleUntilFinalized() {
        LogBuffer log = new LogBuffer();
        List<LogRecord> seen = new ArrayList<>();
        log.addListener(seen::add, false);
        putOpen(log, "partial");
        assertEquals(0, log.nextSeq());
        assertNull(log.read(0));
        assertTrue(seen.isEmpty());
        put(log, "next");
        assertEquals(2, log.nextSeq());
        assertEquals(List.of("partial", "next"), seen.stream().map(LogRecord::text).toList());
    }

    @Test
    void clearMovesTheClearPointButKeepsRecords() {
        LogBuffer log = new LogBuffer();
        put(log, "a");
        put(log, "b");
        log.clear();
        assertTrue(log.readAll().isEmpty());
        assertEquals(2, log.records(0).size(), "/dev/kmsg from the start still sees them");
        put(log, "c");
        assertEquals(List.of("c"), log.readAll().stream().map(LogRecord::text).toList());
        LogReader reader = log.reader();
        reader.seekClear();
        assertEquals("c", reader.poll().text());
        reader.seekFirst();
        assertEquals("a", reader.poll().text());
        reader.seekEnd();
        assertNull(reader.poll());
    }

    @Test
    void readAndClearReturnsThenClears() {
        LogBuffer log = new LogBuffer();
        put(log, "a");
        put(log, "b");
        assertEquals(2, log.readAndClear().size());
        assertTrue(log.readAndClear().isEmpty());
        put(log, "c");
        assertEquals(List.of("c"), log.readAndClear().stream().map(LogRecord::text).toList());
        assertEquals(3, log.clearSeq());
    }

    @Test
    @Timeout(10)
    void awaitTimesOutOrWakesOnNewRecord() throws Exception {
        LogBuffer log = new LogBuffer();
        assertNull(log.await(0, 20, TimeUnit.MILLISECONDS));
        CountDownLatch waiting = new CountDownLatch(1);
        Thread writer = new Thread(() -> {
            try {
                waiting.await();
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            put(log, "late");
        });
        writer.start();
        waiting.countDown();
        LogReader reader = log.reader();
        LogRecord r = reader.poll(5, TimeUnit.SECONDS);
        assertNotNull(r);
        assertEquals("late", r.text());
        writer.join();
    }

    @Test
    void listenersReplayOnRequestAndStopWhenRemoved() {
        LogBuffer log = new LogBuffer();
        put(log, "old");
        List<String> replayed = new ArrayList<>();
        List<String> fresh = new ArrayList<>();
        LogListener l1 = r -> replayed.add(r.text());
        log.addListener(l1, true);
        log.addListener(r -> fresh.add(r.text()), false);
        put(log, "new");
        assertEquals(List.of("old", "new"), replayed);
        assertEquals(List.of("new"), fresh);
        assertTrue(log.removeListener(l1));
        put(log, "after");
        assertEquals(2, replayed.size());
        assertEquals(List.of("new", "after"), fresh);
    }

    @Test
    void listenerThatPrintsDoesNotRecurseAndSeesDrops() {
        LogBuffer log = new LogBuffer(12);
        List<String> texts = new ArrayList<>();
        AtomicLong dropped = new AtomicLong();
        AtomicBoolean inside = new AtomicBoolean();
        log.addListener(new LogListener() {
            @Override
            public void onRecord(LogRecord r) {
                if (inside.getAndSet(true)) {
                    throw new AssertionError("recursive delivery");
                }
                texts.add(r.text());
                if (r.text().equals("trigger")) {
                    for (int k = 0; k < 300; k++) {
                        put(log, "flood" + k);
                    }
                }
                inside.set(false);
            }

            @Override
            public void onDropped(long count) {
                dropped.addAndGet(count);
            }
        }, false);
        put(log, "trigger");
        assertEquals(301, texts.size() + dropped.get());
        assertEquals(172, dropped.get()); // seq 1..172; 173..300 survive in the 128-slot ring
        assertEquals("flood172", texts.get(1));
    }

    @Test
    void failingListenerDoesNotBreakPrinting() {
        LogBuffer log = new LogBuffer();
        List<String> ok = new ArrayList<>();
        log.addListener(r -> {
            throw new IllegalStateException("boom");
        }, false);
        log.addListener(r -> ok.add(r.text()), false);
        put(log, "a");
        put(log, "b");
        assertEquals(List.of("a", "b"), ok);
    }

    @Test
    @Timeout(60)
    void concurrentWritersReaderAndListenerAgreeOnEveryRecord() throws Exception {
        final int threads = 4;
        final int perThread = 20_000;
        final long total = (long) threads * perThread;
        LogBuffer log = new LogBuffer(12);
        Printk printk = new Printk(log, new Vsprintf(SymbolLookup.NONE, 1, 2), System::nanoTime);

        List<Long> listenerSeqs = new ArrayList<>();
        AtomicLong listenerDropped = new AtomicLong();
        log.addListener(new LogListener() {
            @Override
            public void onRecord(LogRecord r) {
                listenerSeqs.add(r.seq()); // never called concurrently
            }

            @Override
            public void onDropped(long count) {
                listenerDropped.addAndGet(count);
            }
        }, false);

        AtomicBoolean done = new AtomicBoolean();
        List<LogRecord> readerSaw = new ArrayList<>();
        LogReader reader = log.reader();
        Thread readerThread = new Thread(() -> {
            try {
                while (true) {
                    LogRecord r = reader.poll(10, TimeUnit.MILLISECONDS);
                    if (r != null) {
                        readerSaw.add(r);
                    } else if (done.get() && reader.seq() >= log.nextSeq()) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        readerThread.start();

        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int id = t;
            Thread w = new Thread(() -> {
                CallerInfo me = CallerInfo.task(100 + id, id);
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int k = 0; k < perThread; k++) {
                    printk.vprintk("\0016writer %d message %d\n", new Object[] {id, k}, me);
                }
            });
            w.start();
            writers.add(w);
        }
        start.countDown();
        for (Thread w : writers) {
            w.join();
        }
        done.set(true);
        readerThread.join();

        assertEquals(total, log.nextSeq());
        assertTrue(log.firstSeq() > 0, "the small ring must have overwritten records");

        // the reader saw strictly increasing sequence numbers; seen + lost covers everything
        long prev = -1;
        for (LogRecord r : readerSaw) {
            assertTrue(r.seq() > prev);
            prev = r.seq();
        }
        assertEquals(total, readerSaw.size() + reader.lost());

        // each writer's messages appear in its own order, with its own caller id
        Pattern pattern = Pattern.compile("writer (\\d) message (\\d+)");
        int[] last = {-1, -1, -1, -1};
        for (LogRecord r : readerSaw) {
            Matcher m = pattern.matcher(r.text());
            assertTrue(m.matches(), r.text());
            int id = Integer.parseInt(m.group(1));
            int k = Integer.parseInt(m.group(2));
            assertTrue(k > last[id], "order of writer " + id);
            last[id] = k;
            assertEquals(100 + id, r.callerId());
            assertEquals(6, r.level());
        }

        // the listener got every record in order, or was told it was dropped
        prev = -1;
        for (long s : listenerSeqs) {
            assertTrue(s > prev);
            prev = s;
        }
        assertEquals(total, listenerSeqs.size() + listenerDropped.get());
    }
}
