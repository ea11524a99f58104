package dev.ksim.kernel.trace;

import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.Task;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A dynamic trace event ({@code struct trace_probe_event}): {@code events/GROUP/NAME/}, with its fetch arguments,
 * its enable state, its filter and the probes that feed it. The probes list is copy-on-write (hits iterate it);
 * {@code enabled} and {@code filter} are volatile; changes are serialised by {@link DynamicEvents}' lock.
 */
final class ProbeEvent {
    /** What kind of probe feeds the event. The event's {@code args} give the fields' names and types. */
    enum Type { KPROBE, KRETPROBE, UPROBE, URETPROBE }

    final String group;
    final String name;
    final int id;
    final Type type;
    final List<ProbeArg> args;
    final List<ProbePoint> points = new CopyOnWriteArrayList<>();
    volatile boolean enabled;
    volatile EventFilter filter = EventFilter.NONE;
    private final TraceBuffer buffer;
    private final boolean legacy;

    ProbeEvent(String group, String name, int id, Type type, List<ProbeArg> args, TraceBuffer buffer, boolean legacy) {
        this.group = group;
        this.name = name;
        this.id = id;
        this.type = type;
        this.args = List.copyOf(args);
        this.buffer = buffer;
        this.legacy = legacy;
    }

    boolean isReturn() {
        return type == Type.KRETPROBE || type == Type.URETPROBE;
    }

    boolean isKernel() {
        return type == Type.KPROBE || type == Type.KRETPROBE;
    }

    /**
     * A hit of one of the event's probes while it is enabled: fetches the arguments, applies the filter, and
     * records {@code NAME: (LOCATION) arg=value …}.
     *
     * @param point the probe hit
     * @param ctx the hit's registers and memory
     * @param location the text between the parentheses
     * @param cpu the CPU
     * @param task the current task
     */
    void hit(ProbePoint point, FetchContext ctx, String location, Cpu cpu, Task task) {
        List<ProbeArg> own = point.args;
        Object[][] values = new Object[own.size()][];
        for (int i = 0; i < own.size(); i++) {
            values[i] = ArgFetcher.fetch(own.get(i), ctx, point.symbolAddresses[i]);
        }
        if (!filter.matches(values, task == null ? 0 : task.pid, cpu == null ? 0 : cpu.id, ctx.comm())) {
            return;
        }
        StringBuilder b = new StringBuilder(name).append(": (").append(location).append(')');
        for (int i = 0; i < own.size(); i++) {
            b.append(' ').append(ArgFetcher.print(own.get(i), values[i], legacy, ctx::symbol));
        }
        buffer.record(cpu, task, b.toString());
    }

    /** @return the {@code format} file: name, ID, the common fields, the probe's and the arguments' fields */
    String format() {
        StringBuilder b = new StringBuilder();
        b.append("name: ").append(name).append('\n');
        b.append("ID: ").append(id).append('\n');
        b.append("format:\n");
        field(b, "unsigned short common_type", 0, 2, false);
        field(b, "unsigned char common_flags", 2, 1, false);
        field(b, "unsigned char common_preempt_count", 3, 1, false);
        field(b, "int common_pid", 4, 4, true);
        b.append('\n');
        int offset = 8;
        if (isReturn()) {
            field(b, "unsigned long __probe_func", offset, 8, false);
            field(b, "unsigned long __probe_ret_ip", offset + 8, 8, false);
            offset += 16;
        } else {
            field(b, "unsigned long __probe_ip", offset, 8, false);
            offset += 8;
        }
        for (ProbeArg a : args) {
            int size = a.type().size() * Math.max(1, a.count());
            String type = a.type().fieldType() + (a.count() > 0 ? "[" + a.count() + "]" : "");
            field(b, type + " " + a.name(), offset, size, a.type().signed());
            offset += size;
        }
        b.append('\n').append("print fmt: ").append(printFmt()).append('\n');
        return b.toString();
    }

    private static void field(StringBuilder b, String decl, int offset, int size, boolean signed) {
        b.append(String.format("\tfield:%s;\toffset:%d;\tsize:%d;\tsigned:%d;%n", decl, offset, size, signed ? 1 : 0)
                .replace(System.lineSeparator(), "\n"));
    }

    /** {@code __set_print_fmt()}. */
    String printFmt() {
        StringBuilder b = new StringBuilder("\"");
        b.append(isReturn() ? "(%lx <- %lx)" : "(%lx)");
        for (ProbeArg a : args) {
            b.append(' ').append(a.name()).append('=');
            String f = a.type().printFormat(legacy);
            if (a.count() > 0) {
                b.append('{').append(f);
                for (int j = 1; j < a.count(); j++) {
                    b.append(',').append(f);
                }
                b.append('}');
            } else {
                b.append(f);
            }
        }
        b.append("\", ").append(isReturn() ? "REC->__probe_func, REC->__probe_ret_ip" : "REC->__probe_ip");
        for (ProbeArg a : args) {
            String f = a.type().isString() ? ", __get_str(%s%s)" : ", REC->%s%s";
            if (a.count() > 0) {
                for (int j = 0; j < a.count(); j++) {
                    b.append(String.format(f, a.name(), "[" + j + "]"));
                }
            } else {
                b.append(String.format(f, a.name(), ""));
            }
        }
        return b.toString();
    }
}
