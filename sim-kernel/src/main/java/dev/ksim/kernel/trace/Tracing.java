package dev.ksim.kernel.trace;

import dev.ksim.kernel.KernelProfile;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.fs.PseudoFile;
import dev.ksim.kernel.fs.Vfs;
import dev.ksim.sdk.Errno;
import java.util.List;

/**
 * The tracing subsystem of a kernel: its trace buffer, error log, uprobes and dynamic events, and the tracefs
 * files at {@code /sys/kernel/tracing/} and (the debugfs compatibility mount) {@code /sys/kernel/debug/tracing/}.
 */
public final class Tracing {
    /** Where tracefs is mounted. */
    public static final List<String> ROOTS = List.of("/sys/kernel/tracing", "/sys/kernel/debug/tracing");

    private final TraceBuffer buffer;
    private final ErrorLog errorLog;
    private final Uprobes uprobes = new Uprobes();
    private final DynamicEvents events;

    private Tracing(SimKernel k) {
        this.buffer = new TraceBuffer(new TraceFormat(k.profile()), k.log()::uptimeNanos, k.cpus().size());
        this.errorLog = new ErrorLog(k.log()::uptimeNanos);
        EventDirs dirs = new EventDirs(k.vfs(), ROOTS);
        this.events = new DynamicEvents(k, buffer, errorLog, uprobes, dirs);
        dirs.bind(events);
    }

    /**
     * Creates the subsystem and mounts its files.
     *
     * @param k the kernel
     * @return the subsystem
     */
    public static Tracing mount(SimKernel k) {
        Tracing t = new Tracing(k);
        for (String r : ROOTS) {
            t.mountFiles(k.vfs(), r, k.profile() != KernelProfile.V4_14);
        }
        return t;
    }

    private void mountFiles(Vfs vfs, String r, boolean recent) {
        DynamicEvents.Kind kp = DynamicEvents.Kind.KPROBE;
        DynamicEvents.Kind up = DynamicEvents.Kind.UPROBE;
        DynamicEvents.Kind any = DynamicEvents.Kind.ANY;
        vfs.mount(r + "/kprobe_events", new PseudoFile(0644, () -> events.list(kp), s -> events.write(s, kp),
                () -> events.clear(kp), null));
        vfs.mount(r + "/kprobe_profile", PseudoFile.readOnly(0444, () -> events.profile(kp)));
        vfs.mount(r + "/uprobe_events", new PseudoFile(0644, () -> events.list(up), s -> events.write(s, up),
                () -> events.clear(up), null));
        vfs.mount(r + "/uprobe_profile", PseudoFile.readOnly(0444, () -> events.profile(up)));
        if (recent) {
            // dynamic_events and error_log came in 5.0 and 5.2.
            vfs.mount(r + "/dynamic_events", new PseudoFile(0644, () -> events.list(any), s -> events.write(s, any),
                    () -> events.clear(any), null));
            vfs.mount(r + "/error_log", new PseudoFile(0644, errorLog::show, s -> 0, () -> {
                errorLog.clear();
                return 0;
            }, null));
        }
        vfs.mount(r + "/trace", new PseudoFile(0644, buffer::show, s -> 0, () -> {
            buffer.clear();
            return 0;
        }, null));
        vfs.mount(r + "/trace_pipe", new PseudoFile(0444, buffer::drain, null, null, buffer));
        vfs.mount(r + "/tracing_on", new PseudoFile(0644, () -> buffer.isOn() ? "1\n" : "0\n", s -> {
            Long v = EventDirs.decimal(s);
            if (v == null) {
                return -Errno.EINVAL;
            }
            buffer.setOn(v != 0);
            return 0;
        }));
    }

    /** @return the trace buffer: where events and {@code bpf_trace_printk} lines go */
    public TraceBuffer buffer() {
        return buffer;
    }

    /** @return the uprobes core */
    public Uprobes uprobes() {
        return uprobes;
    }
}
