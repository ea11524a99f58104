/**
 * The kernel's side of BPF tracing programs: {@code bpf_trace_printk} ({@code kernel/trace/bpf_trace.c})
 * with {@code bpf_bprintf_prepare()}'s format checks, and where its lines go.
 */
package dev.ksim.kernel.bpf;
