package dev.ksim.kernel.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.KernelProfile;
import org.junit.jupiter.api.Test;

/** The trace header and line prefix of each kernel era ({@code print_func_help_header_irq}, {@code trace_print_context}). */
class TraceFormatTest {
    private static final String COUNTS = "# tracer: nop\n#\n# entries-in-buffer/entries-written: 2/3   #P:24\n#\n";

    @Test
    void kernel68() {
        assertEquals(COUNTS + """
                #                                _-----=> irqs-off/BH-disabled
                #                               / _----=> need-resched
                #                              | / _---=> hardirq/softirq
                #                              || / _--=> preempt-depth
                #                              ||| / _-=> migrate-disable
                #                              |||| /     delay
                #           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
                #              | |         |   |||||     |         |
                """, new TraceFormat(KernelProfile.V6_8).header(2, 3, 24));
        assertEquals("            test-4182    [017] .....  4429.550406: p_test_0x1149: (0x5fc739ab0149)",
                new TraceFormat(KernelProfile.V6_8).line(new TraceBuffer.Entry("test", 4182, 17, ".....",
                        4429_550406_123L, "p_test_0x1149: (0x5fc739ab0149)")));
    }

    @Test
    void kernel510() {
        assertEquals(COUNTS + """
                #                                _-----=> irqs-off
                #                               / _----=> need-resched
                #                              | / _---=> hardirq/softirq
                #                              || / _--=> preempt-depth
                #                              ||| /     delay
                #           TASK-PID     CPU#  ||||   TIMESTAMP  FUNCTION
                #              | |         |   ||||      |         |
                """, new TraceFormat(KernelProfile.V5_10).header(2, 3, 24));
    }

    @Test
    void kernel414() {
        assertEquals(COUNTS + """
                #                              _-----=> irqs-off
                #                             / _----=> need-resched
                #                            | / _---=> hardirq/softirq
                #                            || / _--=> preempt-depth
                #                            ||| /     delay
                #           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION
                #              | |       |   ||||       |         |
                """, new TraceFormat(KernelProfile.V4_14).header(2, 3, 24));
        assertEquals("              rm-9346  [005] d..3  4710.951696: bpf_trace_printk: KPROBE EXIT: ret = 0",
                new TraceFormat(KernelProfile.V4_14).line(new TraceBuffer.Entry("rm", 9346, 5, "d..3",
                        4710_951696_000L, "bpf_trace_printk: KPROBE EXIT: ret = 0")));
    }
}
