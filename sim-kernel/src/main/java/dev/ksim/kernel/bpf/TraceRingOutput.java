package dev.ksim.kernel.bpf;

import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.trace.TraceBuffer;

/**
 * {@code trace_bpf_trace_printk()}: a {@code bpf_trace_printk} event of the current task and CPU in the
 * trace buffer, read through {@code /sys/kernel/debug/tracing/trace} and {@code trace_pipe}. Before 5.9 the
 * helper called {@code __trace_printk(1, …)} instead: a {@code TRACE_PRINT} entry whose fake ip 1 has no
 * symbol, so the line reads {@code …: : MESSAGE} ({@code trace_print_print()}).
 */
public final class TraceRingOutput implements BpfTraceOutput {
    private final TraceBuffer buffer;
    private final boolean viaTracePrintk;

    /**
     * @param buffer the kernel's trace buffer
     * @param viaTracePrintk true for kernels before 5.9, whose helper printed with {@code trace_printk()}
     */
    public TraceRingOutput(TraceBuffer buffer, boolean viaTracePrintk) {
        this.buffer = buffer;
        this.viaTracePrintk = viaTracePrintk;
    }

    @Override
    public void bpf_trace_printk(String buf) {
        Cpu cpu = Cpu.current();
        if (viaTracePrintk) {
            String m = buf.endsWith("\n") ? buf.substring(0, buf.length() - 1) : buf;
            buffer.record(cpu, cpu == null ? null : cpu.task(), ": " + m);
        } else {
            buffer.bpfTracePrintk(cpu == null ? null : cpu.task(), cpu, buf);
        }
    }
}
