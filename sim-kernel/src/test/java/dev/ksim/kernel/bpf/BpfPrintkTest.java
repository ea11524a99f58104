package dev.ksim.kernel.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelProfile;
import dev.ksim.kernel.SimKernel;
import dev.ksim.sdk.Errno;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** bpf_trace_printk's format checks ({@code bpf_bprintf_prepare}), conversions and the trace_printk notice. */
class BpfPrintkTest {
    private SimKernel k;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    @BeforeEach
    void boot() {
        k = SimKernel.boot(BootOptions.defaults());
        k.bpfPrintk().setOutput(lines::add);
    }

    @AfterEach
    void halt() {
        k.close();
    }

    private int printk(String fmt, Object... args) {
        return k.bpf_trace_printk(fmt, args);
    }

    @Test
    void formatsAsTheConversionSizeSays() {
        assertEquals(29, printk("pid = %d, ret = %ld %u\n", 0x1_0000_0007L, -2L, -1));
        assertEquals(List.of("pid = 7, ret = -2 4294967295\n"), lines);
        lines.clear();
        printk("%x %llx %c %5d|%-3d|%%\n", 255, -1L, 'A', 42, 7);
        assertEquals(List.of("ff ffffffffffffffff A    42|7  |%\n"), lines);
    }

    @Test
    void stringsFromJavaOrKernelMemory() {
        printk("%s|%s|%s\n", "test1", null, 0L);
        assertEquals(List.of("test1||\n"), lines, "a NULL or bad pointer prints nothing, as the copy failed");
    }

    @Test
    void badFormatsAreRejectedAndPrintNothing() {
        assertEquals(-Errno.EINVAL, printk("%d %d\n", 1), "more conversions than arguments");
        assertEquals(-Errno.EINVAL, printk("%hd\n", 1), "no h modifier");
        assertEquals(-Errno.EINVAL, printk("%f\n", 1.0), "no floating point");
        assertEquals(-Errno.EINVAL, printk("%sx\n", "a"), "%s followed by a letter");
        assertEquals(-Errno.EINVAL, printk("%pV\n", 1L), "unsupported %p extension");
        assertEquals(-Errno.EINVAL, printk("caf\u00e9\n"), "not ASCII");
        assertEquals(-Errno.EINVAL, printk("\u0001x\n"), "not printable");
        assertEquals(-Errno.EINVAL, printk("%d\n", "seven"), "a string where a number goes");
        assertEquals(-Errno.EINVAL, printk("x", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), "MAX_BPRINTF_VARARGS");
        assertTrue(lines.isEmpty());
        assertTrue(printk("%pK %px\n", 0L, 16L) > 0);
        assertEquals(1, lines.size());
    }

    @Test
    void currentKernelPrintsNoNotice() {
        k.bpfPrintk().bpf_get_trace_printk_proto();
        assertFalse(k.dmesg().contains("trace_printk() being used"));
    }

    @Test
    void before59TheNoticeIsPrintedOncePerBoot() {
        try (SimKernel old = SimKernel.boot(BootOptions.defaults().withProfile(KernelProfile.V4_14))) {
            old.bpfPrintk().bpf_get_trace_printk_proto();
            old.bpfPrintk().bpf_get_trace_printk_proto();
            String dmesg = old.dmesg();
            assertTrue(dmesg.contains("** trace_printk() being used. Allocating extra memory.  **\n"), dmesg);
            assertEquals(dmesg.indexOf("NOTICE NOTICE"), dmesg.indexOf("NOTICE NOTICE"));
            assertEquals(2, dmesg.split("\\*\\*   NOTICE NOTICE", -1).length - 1, "one banner: two NOTICE rows");
        }
    }

    @Test
    void linesGoToTheTraceBufferAsBpfTracePrintkEvents() {
        try (SimKernel fresh = SimKernel.boot(BootOptions.defaults())) {
            fresh.bpf_trace_printk("KPROBE EXIT: ret = %ld\n", new Object[] {0L});
            assertTrue(fresh.read("/sys/kernel/debug/tracing/trace_pipe")
                    .matches(" +<idle>-0 +\\[000\\] \\S+ +\\d+\\.\\d{6}: bpf_trace_printk: KPROBE EXIT: ret = 0\n"));
        }
    }

    @Test
    void before59LinesAreTracePrintkEntriesWithoutASymbol() {
        try (SimKernel old = SimKernel.boot(BootOptions.defaults().withProfile(KernelProfile.V4_14))) {
            old.bpf_trace_printk("KPROBE EXIT: ret = %ld\n", new Object[] {0L});
            String pipe = old.read("/sys/kernel/debug/tracing/trace_pipe");
            assertTrue(pipe.matches(" +<idle>-0 +\\[000\\] \\S+ +\\d+\\.\\d{6}: : KPROBE EXIT: ret = 0\n"), pipe);
        }
    }
}
