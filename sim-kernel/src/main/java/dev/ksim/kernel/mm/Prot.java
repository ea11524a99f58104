package dev.ksim.kernel.mm;

/**
 * Page protection bits of a {@link MemoryRegion}, combined with {@code |}: what the page-table entries of
 * the region allow. A region without {@link #READ} faults on any access (a {@code PROT_NONE} guard).
 */
public final class Prot {
    /** No access: every access faults. */
    public static final int NONE = 0;
    /** Loads are allowed. */
    public static final int READ = 1;
    /** Stores are allowed. */
    public static final int WRITE = 2;
    /** Instructions may be fetched (recorded only; the simulator does not fetch instructions). */
    public static final int EXEC = 4;
    /** {@code READ | WRITE}: ordinary data. */
    public static final int RW = READ | WRITE;
    /** {@code READ | EXEC}: text. */
    public static final int RX = READ | EXEC;

    private Prot() {
    }

    /**
     * Formats bits the way {@code /proc/<pid>/maps} does.
     *
     * @param prot the bits
     * @return {@code "rwx"} with {@code '-'} for each missing bit
     */
    public static String toString(int prot) {
        return new String(new char[] {
            (prot & READ) != 0 ? 'r' : '-',
            (prot & WRITE) != 0 ? 'w' : '-',
            (prot & EXEC) != 0 ? 'x' : '-'
        });
    }
}
