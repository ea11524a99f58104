package dev.ksim.kernel.bpf;

/**
 * Where {@code trace_bpf_trace_printk(buf)} sends a formatted {@code bpf_trace_printk} line: the tracing
 * ring buffer, which prints it as a {@code bpf_trace_printk} event of the current task and CPU (read
 * through {@code trace} and {@code trace_pipe}). Called on the CPU running the program, in its context.
 */
@FunctionalInterface
public interface BpfTraceOutput {
    /**
     * Records one event.
     *
     * @param buf the formatted text, as the program's format produced it (newline included, if any)
     */
    void bpf_trace_printk(String buf);
}
