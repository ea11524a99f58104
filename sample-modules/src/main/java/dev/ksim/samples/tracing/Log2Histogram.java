// SPDX-License-Identifier: GPL-2.0
package dev.ksim.samples.tracing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A power-of-two histogram as bcc's {@code BPF_HISTOGRAM} + {@code bpf_log2l()} fill it and
 * {@code print_log2_hist()} prints it (bcc {@code src/python/bcc/table.py}): slot {@code i} counts values in
 * {@code [2^(i-1), 2^i - 1]}, slot 1 also counts 0; each line has a bar of up to 40 stars. Safe to
 * {@link #increment} from any CPU at once (each slot is an atomic counter).
 */
final class Log2Histogram {
    /** bcc's {@code log2_index_max}. */
    static final int SLOTS = 65;
    /** bcc's {@code stars_max}. */
    private static final int STARS_MAX = 40;

    private final AtomicLongArray slots = new AtomicLongArray(SLOTS);

    /**
     * {@code bpf_log2l()}: the slot of a value, {@code floor(log2(v)) + 1}, and 1 for 0.
     *
     * @param v a value, unsigned
     * @return its slot, 1–64
     */
    static int slot(long v) {
        return v == 0 ? 1 : 64 - Long.numberOfLeadingZeros(v);
    }

    /** @param v a value to count */
    void increment(long v) {
        slots.incrementAndGet(slot(v));
    }

    /** @return the counts, slot by slot */
    long[] values() {
        long[] v = new long[SLOTS];
        for (int i = 0; i < SLOTS; i++) {
            v[i] = slots.get(i);
        }
        return v;
    }

    /**
     * {@code _print_log2_hist(vals, val_type, strip_leading_zero=False)}.
     *
     * @param vals the counts by slot
     * @param valType the unit shown in the header ({@code "nsecs"})
     * @return the lines (none when nothing was counted)
     */
    static List<String> render(long[] vals, String valType) {
        int idxMax = -1;
        long valMax = 0;
        for (int i = 0; i < vals.length; i++) {
            if (vals[i] > 0) {
                idxMax = i;
            }
            valMax = Math.max(valMax, vals[i]);
        }
        String header;
        String body;
        int stars;
        if (idxMax <= 32) {
            header = "     %-19s : count     distribution";
            body = "%10d -> %-10d : %-8d |%-" + STARS_MAX + "s|";
            stars = STARS_MAX;
        } else {
            header = "               %-29s : count     distribution";
            body = "%20d -> %-20d : %-8d |%-" + STARS_MAX / 2 + "s|";
            stars = STARS_MAX / 2;
        }
        List<String> out = new ArrayList<>();
        if (idxMax > 0) {
            out.add(String.format(header, valType));
        }
        for (int i = 1; i <= idxMax; i++) {
            long low = (1L << i) >>> 1;
            long high = (1L << i) - 1;
            if (low == high) {
                low -= 1;
            }
            out.add(String.format(body, low, high, vals[i], stars(vals[i], valMax, stars)));
        }
        return out;
    }

    /** {@code _stars(val, val_max, width)}. */
    private static String stars(long val, long valMax, int width) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; !(i > ((double) width * val / valMax) - 1) && !(i > width - 1); i++) {
            text.append('*');
        }
        if (val > valMax) {
            text.setCharAt(text.length() - 1, '+');
        }
        return text.toString();
    }
}
