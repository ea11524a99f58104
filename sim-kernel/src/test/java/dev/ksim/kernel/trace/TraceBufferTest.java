package dev.ksim.kernel.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.KernelProfile;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TraceBufferTest {
    private long now = 1_000_000_000L;
    private final TraceBuffer buffer = new TraceBuffer(new TraceFormat(KernelProfile.V6_8), () -> now, 2);

    @Test
    void aPipeReadTakesWholeLinesAndSplitsOnlyALineLargerThanTheRead() {
        buffer.record(null, null, "a: (x)");
        buffer.record(null, null, "b: (y)");
        String first = "          <idle>-0       [000] .....     1.000000: a: (x)\n";
        assertEquals(first.length(), buffer.take(first.length() + 10).length, "the second line does not fit");
        byte[] part = buffer.take(10);
        byte[] rest = buffer.take(1000);
        assertEquals("          <idle>-0       [000] .....     1.000000: b: (y)\n",
                new String(part, StandardCharsets.UTF_8) + new String(rest, StandardCharsets.UTF_8));
        assertEquals(0, buffer.take(1000).length);
    }

    @Test
    void whenFullTheOldestEntriesAreOverwrittenAndCounted() {
        for (int i = 0; i < TraceBuffer.CAPACITY + 5; i++) {
            buffer.record(null, null, "e" + i + ": (x)");
        }
        String t = buffer.show();
        assertEquals(true, t.contains("# entries-in-buffer/entries-written: " + TraceBuffer.CAPACITY + "/"
                + (TraceBuffer.CAPACITY + 5) + "   #P:2\n"));
        assertEquals(false, t.contains(" e4: "));
        assertEquals(true, t.contains(" e5: "));
    }

    @Test
    void tracingOffRecordsNothing() {
        buffer.setOn(false);
        buffer.record(null, null, "a: (x)");
        assertEquals("", buffer.drain());
    }
}
