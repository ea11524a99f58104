package dev.ksim.samples.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.ksim.sdk.KretprobeInstance;
import dev.ksim.test.MockKernel;
import dev.ksim.test.MockKernelExtension;
import dev.ksim.test.Regs;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** funclatency against a mocked kernel and clock, and the histogram against bcc's own output. */
@ExtendWith(MockKernelExtension.class)
class FunclatencyUnitTest {

    @Test
    void initTimesTheFunctionParameter(MockKernel k) {
        Funclatency m = new Funclatency();
        m.func = "do_sys_openat2";
        assertEquals(0, m.init());
        verify(k.services()).register_kretprobe(argThat(rp -> "do_sys_openat2".equals(rp.kp.symbol_name)
                && rp.data_size == 8 && rp.entry_handler != null));
    }

    @Test
    void eachCallLandsInItsPowerOfTwoSlot(MockKernel k) {
        Funclatency m = new Funclatency();
        assertEquals(0, m.init());
        long[][] calls = {{1000, 1700}, {2000, 3500}, {5000, 6100}, {9000, 9003}};
        for (long[] c : calls) {
            KretprobeInstance ri = new KretprobeInstance(8);
            when(k.services().ktime_get_ns()).thenReturn(c[0]);
            m.entry(ri, Regs.x86().build());
            when(k.services().ktime_get_ns()).thenReturn(c[1]);
            m.ret(ri, Regs.x86().build());
        }
        assertEquals("""
                     nsecs               : count     distribution
                         0 -> 1          : 0        |                                        |
                         2 -> 3          : 1        |********************                    |
                         4 -> 7          : 0        |                                        |
                         8 -> 15         : 0        |                                        |
                        16 -> 31         : 0        |                                        |
                        32 -> 63         : 0        |                                        |
                        64 -> 127        : 0        |                                        |
                       128 -> 255        : 0        |                                        |
                       256 -> 511        : 0        |                                        |
                       512 -> 1023       : 1        |********************                    |
                      1024 -> 2047       : 2        |****************************************|

                avg = 825 nsecs, total: 3303 nsecs, count: 4
                """, k.read("/proc/funclatency"));
    }

    @Test
    void slotsFollowBpfLog2l() {
        assertEquals(1, Log2Histogram.slot(0));
        assertEquals(1, Log2Histogram.slot(1));
        assertEquals(2, Log2Histogram.slot(2));
        assertEquals(2, Log2Histogram.slot(3));
        assertEquals(11, Log2Histogram.slot(1024));
        assertEquals(64, Log2Histogram.slot(-1L));
    }

    @Test
    void wideValuesUseTheWideLayoutAndHalfTheStars() {
        long[] vals = new long[Log2Histogram.SLOTS];
        vals[34] = 3;
        vals[35] = 1;
        List<String> lines = Log2Histogram.render(vals, "nsecs");
        assertEquals("               nsecs                         : count     distribution", lines.get(0));
        assertEquals("          8589934592 -> 17179869183          : 3        |********************|", lines.get(34));
        assertEquals("         17179869184 -> 34359738367          : 1        |******              |", lines.get(35));
        assertEquals(List.of(), Log2Histogram.render(new long[Log2Histogram.SLOTS], "nsecs"));
    }
}
