package dev.ksim.kernel.bpf;

import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.trace.TraceBuffer;

/**
 * {@code trace_bpf_trace_printk()}: a {@code bpf_trace_printk} event of the current task and CPU in the
 * trace buffer, read through {@code /sys/kernel/debug/tracing/trace} and {@code trace_pipe}.
 */
public final class TraceRingOutput implements BpfTraceOutput {
    private final TraceBuffer buffer;

    /** @param buffer the kernel's trace buffer */
    public TraceRingOutput(TraceBuffer buffer) {
        this.buffer = buffer;
    }

    @Override
    public void bpf_trace_printk(String buf) {
        Cpu cpu = Cpu.current();
        buffer.bpfTracePrintk(cpu == null ? null : cpu.task(), cpu, buf);
    }
}
