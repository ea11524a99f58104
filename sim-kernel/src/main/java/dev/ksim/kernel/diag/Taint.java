package dev.ksim.kernel.diag;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The kernel's taint flags ({@code kernel/panic.c}): a bitmask readable as
 * {@code /proc/sys/kernel/tainted} and printed as the {@code Tainted:} string of every splat.
 */
public final class Taint {
    /** One taint flag: its bit, letter when set, letter when clear, and name. */
    public enum Flag {
        /** A proprietary module was loaded. */
        PROPRIETARY_MODULE('P', 'G'),
        /** A module was force-loaded. */
        FORCED_MODULE('F', ' '),
        /** The CPU is out of spec. */
        CPU_OUT_OF_SPEC('S', ' '),
        /** A module was force-unloaded. */
        FORCED_RMMOD('R', ' '),
        /** A machine check happened. */
        MACHINE_CHECK('M', ' '),
        /** A bad page was found. */
        BAD_PAGE('B', ' '),
        /** User space asked for the taint. */
        USER('U', ' '),
        /** The kernel died (an oops or BUG). */
        DIE('D', ' '),
        /** An ACPI table was overridden. */
        OVERRIDDEN_ACPI_TABLE('A', ' '),
        /** A warning was issued. */
        WARN('W', ' '),
        /** A staging driver was loaded. */
        CRAP('C', ' '),
        /** A firmware workaround is active. */
        FIRMWARE_WORKAROUND('I', ' '),
        /** An out-of-tree module was loaded. */
        OOT_MODULE('O', ' '),
        /** An unsigned module was loaded. */
        UNSIGNED_MODULE('E', ' '),
        /** A soft lockup happened. */
        SOFTLOCKUP('L', ' '),
        /** The kernel was live-patched. */
        LIVEPATCH('K', ' '),
        /** An auxiliary taint. */
        AUX('X', ' '),
        /** Built with struct randomisation. */
        RANDSTRUCT('T', ' '),
        /** A test module was loaded. */
        TEST('N', ' ');

        /** Letter printed when set. */
        public final char set;
        /** Letter printed when clear. */
        public final char clear;

        Flag(char set, char clear) {
            this.set = set;
            this.clear = clear;
        }

        /** @return the bit value in {@code /proc/sys/kernel/tainted} */
        public long bit() {
            return 1L << ordinal();
        }
    }

    private final AtomicLong mask = new AtomicLong();

    /** @param f the flag to set ({@code add_taint}) */
    public void add(Flag f) {
        mask.getAndUpdate(m -> m | f.bit());
    }

    /** @param f a flag @return whether it is set */
    public boolean test(Flag f) {
        return (mask.get() & f.bit()) != 0;
    }

    /** @return the bitmask */
    public long mask() {
        return mask.get();
    }

    /** @param m the new bitmask (writing {@code /proc/sys/kernel/tainted} can only add bits) */
    public void addMask(long m) {
        mask.getAndUpdate(old -> old | m);
    }

    /**
     * {@code print_tainted()}: {@code "Not tainted"}, or {@code "Tainted: "} and one column per flag.
     *
     * @return the string
     */
    public String describe() {
        long m = mask.get();
        if (m == 0) {
            return "Not tainted";
        }
        StringBuilder b = new StringBuilder("Tainted: ");
        for (Flag f : Flag.values()) {
            b.append((m & f.bit()) != 0 ? f.set : f.clear);
        }
        return b.toString();
    }
}
