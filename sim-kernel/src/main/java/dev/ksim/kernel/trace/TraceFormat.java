package dev.ksim.kernel.trace;

import dev.ksim.kernel.KernelProfile;
import dev.ksim.kernel.cpu.Cpu;
import java.util.List;

/**
 * The generic part of {@code trace} and {@code trace_pipe} lines and the {@code trace} file's header, as each
 * kernel era prints them ({@code trace_print_context}, {@code trace_print_lat_fmt},
 * {@code print_func_help_header_irq} in {@code kernel/trace/trace.c} and {@code trace_output.c}): 4.14 has a
 * 5-wide pid and four flag columns; 5.10 a 7-wide pid; 6.x adds the migrate-disable column and BH in the
 * irqs-off column.
 */
final class TraceFormat {
    private final KernelProfile profile;

    TraceFormat(KernelProfile profile) {
        this.profile = profile;
    }

    /** @return whether the kernel prints the fifth (migrate-disable) flag column */
    boolean migrateColumn() {
        return profile != KernelProfile.V4_14 && profile != KernelProfile.V5_10;
    }

    /**
     * {@code tracing_gen_ctx()} read back by {@code trace_print_lat_fmt}: irqs-off, need-resched,
     * hardirq/softirq, preempt depth (and migrate-disable on 6.x).
     *
     * @param cpu the CPU the event happened on, or null outside any CPU
     * @return the flags column
     */
    String flags(Cpu cpu) {
        boolean irqsOff = cpu != null && cpu.irqsDisabled;
        int pc = cpu == null ? 0 : cpu.preemptCount();
        boolean nmi = (pc & Cpu.NMI_OFFSET) != 0;
        boolean hardirq = (pc & 0xf0000) != 0;
        boolean softirq = (pc & 0xff00) != 0;
        StringBuilder b = new StringBuilder(5);
        b.append(irqsOff ? 'd' : '.');
        b.append('.');
        b.append(nmi && hardirq ? 'Z' : nmi ? 'z' : hardirq && softirq ? 'H' : hardirq ? 'h' : softirq ? 's' : '.');
        int depth = pc & 0xff;
        b.append(depth == 0 ? "." : Integer.toHexString(Math.min(depth, 0xf)));
        if (migrateColumn()) {
            b.append('.');
        }
        return b.toString();
    }

    /**
     * The flag columns' legend: each column's arrow one line lower and one column further right, then
     * {@code delay}.
     *
     * @param b where to write
     * @param indent the spaces after {@code #} before the first column
     * @param columns the columns' names, left to right
     */
    private static void legend(StringBuilder b, int indent, List<String> columns) {
        String[] arrows = {"_-----=> ", "_----=> ", "_---=> ", "_--=> ", "_-=> "};
        int n = columns.size();
        for (int i = 0; i <= n; i++) {
            b.append('#').append(" ".repeat(indent)).append("|".repeat(Math.max(0, i - 1)));
            b.append(i == 0 ? "  " : " / ");
            b.append(i < n ? arrows[i] + columns.get(i) : "    delay").append('\n');
        }
    }

    /**
     * @param e an entry
     * @return its line, without the newline
     */
    String line(TraceBuffer.Entry e) {
        String pid = profile == KernelProfile.V4_14 ? String.format("%-5d", e.pid()) : String.format("%-7d", e.pid());
        long sec = e.nanos() / 1_000_000_000L;
        long usec = e.nanos() % 1_000_000_000L / 1000;
        return String.format("%16s-%s [%03d] %s %5d.%06d: %s", e.comm(), pid, e.cpu(), e.flags(), sec, usec, e.body());
    }

    /**
     * The {@code trace} file's header: tracer, buffer counts and the column legend.
     *
     * @param entries entries in the buffer
     * @param written entries written since the last clear
     * @param cpus online CPUs
     * @return the header
     */
    String header(long entries, long written, int cpus) {
        StringBuilder b = new StringBuilder("# tracer: nop\n#\n");
        b.append(String.format("# entries-in-buffer/entries-written: %d/%d   #P:%d\n#\n", entries, written, cpus));
        if (profile == KernelProfile.V4_14) {
            legend(b, 28, List.of("irqs-off", "need-resched", "hardirq/softirq", "preempt-depth"));
            b.append("#           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION\n");
            b.append("#              | |       |   ||||       |         |\n");
        } else if (profile == KernelProfile.V5_10) {
            legend(b, 30, List.of("irqs-off", "need-resched", "hardirq/softirq", "preempt-depth"));
            b.append("#           TASK-PID     CPU#  ||||   TIMESTAMP  FUNCTION\n");
            b.append("#              | |         |   ||||      |         |\n");
        } else {
            legend(b, 30, List.of("irqs-off/BH-disabled", "need-resched", "hardirq/softirq", "preempt-depth",
                    "migrate-disable"));
            b.append("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n");
            b.append("#              | |         |   |||||     |         |\n");
        }
        return b.toString();
    }
}
