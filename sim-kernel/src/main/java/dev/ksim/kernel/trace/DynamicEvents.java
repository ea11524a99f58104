package dev.ksim.kernel.trace;

import dev.ksim.kernel.KernelProfile;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.fs.Vfs;
import dev.ksim.kernel.text.Symbol;
import dev.ksim.sdk.Errno;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dynamic events of a kernel ({@code kernel/trace/trace_dynevent.c} with {@code trace_kprobe.c} and
 * {@code trace_uprobe.c}): runs the commands written to {@code kprobe_events}, {@code uprobe_events} and
 * {@code dynamic_events}, keeps the probes in creation order, and keeps each event's directory under
 * {@code events/} in step. Every change holds this object's lock ({@code event_mutex}); hits read the
 * copy-on-write state of {@link ProbeEvent} without it.
 */
final class DynamicEvents {
    /** Which probes a file's commands and listing cover. */
    enum Kind {
        KPROBE, UPROBE, ANY;

        boolean covers(ProbeEvent e) {
            return this == ANY || (this == KPROBE) == e.isKernel();
        }
    }

    /** The first id given to a dynamic event (after the kernel's static events). */
    private static final int FIRST_ID = 1505;

    private final SimKernel k;
    private final TraceBuffer buffer;
    private final ErrorLog errorLog;
    private final Uprobes uprobes;
    private final EventDirs dirs;
    private final boolean legacy;
    /** All probes, oldest first; guarded by this. */
    private final List<ProbePoint> points = new ArrayList<>();
    /** Events by {@code group/name}; guarded by this. */
    private final Map<String, ProbeEvent> events = new LinkedHashMap<>();
    private int nextId = FIRST_ID;

    DynamicEvents(SimKernel k, TraceBuffer buffer, ErrorLog errorLog, Uprobes uprobes, EventDirs dirs) {
        this.k = k;
        this.buffer = buffer;
        this.errorLog = errorLog;
        this.uprobes = uprobes;
        this.dirs = dirs;
        this.legacy = k.profile() == KernelProfile.V4_14;
        k.kprobes().addModuleComingListener(this::moduleComing);
    }

    /** Registers the probes that waited for a module now coming. */
    private synchronized void moduleComing(dev.ksim.kernel.text.ModuleText mt) {
        for (ProbePoint p : points) {
            if (p instanceof TraceKprobe tk) {
                tk.moduleComing(mt);
            }
        }
    }

    /** @return the events, oldest first */
    synchronized List<ProbeEvent> events() {
        return List.copyOf(events.values());
    }

    /** @return the listing of {@code kprobe_events}, {@code uprobe_events} or {@code dynamic_events} */
    synchronized String list(Kind kind) {
        StringBuilder b = new StringBuilder();
        for (ProbePoint p : points) {
            if (kind.covers(p.event)) {
                b.append(p.definition()).append('\n');
            }
        }
        return b.toString();
    }

    /** @return {@code kprobe_profile} or {@code uprobe_profile} */
    synchronized String profile(Kind kind) {
        StringBuilder b = new StringBuilder();
        for (ProbePoint p : points) {
            if (kind.covers(p.event)) {
                b.append(p.profileLine());
            }
        }
        return b.toString();
    }

    /**
     * {@code trace_parse_run_command()}: runs each line of a write ({@code #} starts a comment); stops at the
     * first failing line, whose error the write returns.
     *
     * @param text what was written
     * @param kind the file's kind
     * @return 0 or a negative errno
     */
    synchronized int write(String text, Kind kind) {
        for (String line : text.split("\n", -1)) {
            int hash = line.indexOf('#');
            String cmd = hash >= 0 ? line.substring(0, hash) : line;
            int r = run(cmd, kind);
            if (r < 0) {
                return r;
            }
        }
        return 0;
    }

    private int run(String raw, Kind kind) {
        List<String> argv = Arrays.stream(raw.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        if (argv.isEmpty()) {
            return 0;
        }
        if (legacy && kind == Kind.KPROBE) {
            return createLegacyKprobe(argv);
        }
        if (raw.startsWith("-")) {
            return release(argv, kind);
        }
        int r = -ProbeError.ECANCELED;
        if (kind != Kind.UPROBE) {
            r = createKprobe(argv);
        }
        if (r == -ProbeError.ECANCELED && kind != Kind.KPROBE) {
            r = createUprobe(argv);
        }
        return r == -ProbeError.ECANCELED ? -Errno.EINVAL : r;
    }

    private int fail(String loc, List<String> argv, ProbeError e) {
        if (e.text != null) {
            if (legacy) {
                if (e.index >= 2) {
                    k.log().line("\0016" + loc + ": Parse error at argument[" + (e.index - 2) + "]. (" + e.errno + ")\n");
                }
            } else {
                errorLog.log(loc, argv, e);
            }
        }
        return e.errno;
    }

    /** The kernel's answers to the parsers. */
    private final class Queries implements KprobeCommand.Kernel, UprobeCommand.Kernel {
        @Override
        public int onFuncEntry(String symbol, long offset) {
            Symbol s = k.text().lookupName(symbol.contains(":") ? symbol.substring(symbol.indexOf(':') + 1) : symbol);
            if (s == null) {
                return -Errno.ENOENT;
            }
            return offset == 0 ? 0 : -Errno.EINVAL;
        }

        @Override
        public String pointer(long addr) {
            return k.log().printk().vsprintf().sprintf("%p", addr);
        }

        @Override
        public int stat(String path) {
            Vfs.Inode n = k.vfs().lookup(Vfs.resolve("/", path));
            return n == null ? -Errno.ENOENT : n.isDir() || n.pseudo != null ? 1 : 0;
        }

        @Override
        public boolean isRegister(String name) {
            return KernelFetchContext.isRegister(k.arch(), name);
        }

        @Override
        public boolean legacy() {
            return legacy;
        }

        @Override
        public boolean returnSuffix() {
            return k.profile() != KernelProfile.V4_14 && k.profile() != KernelProfile.V5_10;
        }
    }

    private int createKprobe(List<String> argv) {
        KprobeCommand cmd;
        try {
            cmd = KprobeCommand.parse(argv, new Queries());
        } catch (ProbeError e) {
            return e.errno == -ProbeError.ECANCELED ? e.errno : fail("trace_kprobe", argv, e);
        }
        return create("trace_kprobe", argv, cmd.group(), cmd.event(),
                cmd.isReturn() ? ProbeEvent.Type.KRETPROBE : ProbeEvent.Type.KPROBE, cmd.args(),
                ev -> new TraceKprobe(ev, k, cmd));
    }

    /** 4.14: {@code create_trace_kprobe()}, its messages in the kernel log; a new event replaces one of its name. */
    private int createLegacyKprobe(List<String> argv) {
        Object parsed;
        try {
            parsed = LegacyKprobeCommand.parse(argv, new Queries(), m -> k.log().line("\0016trace_kprobe: " + m + "\n"));
        } catch (ProbeError e) {
            return e.errno;
        }
        if (parsed instanceof LegacyKprobeCommand.Delete d) {
            ProbeEvent ev = events.get(d.group() + "/" + d.event());
            if (ev == null || !ev.isKernel()) {
                k.log().line("\0016trace_kprobe: Event " + d.group() + "/" + d.event() + " doesn't exist.\n");
                return -Errno.ENOENT;
            }
            return remove(ev);
        }
        KprobeCommand cmd = (KprobeCommand) parsed;
        ProbeEvent old = events.get(cmd.group() + "/" + cmd.event());
        if (old != null) {
            int r = remove(old);
            if (r < 0) {
                return r;
            }
        }
        ProbeEvent ev = newEvent(cmd.group(), cmd.event(),
                cmd.isReturn() ? ProbeEvent.Type.KRETPROBE : ProbeEvent.Type.KPROBE, cmd.args());
        TraceKprobe tk = new TraceKprobe(ev, k, cmd);
        int r = tk.register();
        if (r < 0) {
            k.log().line("\0014trace_kprobe: Could not insert probe at " + (cmd.symbol() == null ? "unknown"
                    : cmd.symbol()) + "+" + cmd.offset() + ": " + r + "\n");
            if (r == -Errno.ENOENT && tk.waitsForModule()) {
                k.log().line("\0014trace_kprobe: This probe might be able to register after target module is "
                        + "loaded. Continue.\n");
                r = 0;
            } else if (r == -Errno.EILSEQ) {
                k.log().line("\0014trace_kprobe: Probing address(0x" + new Queries().pointer(cmd.addr() != 0
                        ? cmd.addr() : k.text().lookupName(cmd.symbol()).address() + cmd.offset())
                        + ") is not an instruction boundary.\n");
                r = -Errno.EINVAL;
            }
            if (r < 0) {
                return r;
            }
        }
        return add(ev, true, tk);
    }

    private int createUprobe(List<String> argv) {
        UprobeCommand cmd;
        try {
            cmd = UprobeCommand.parse(argv, new Queries());
        } catch (ProbeError e) {
            return e.errno == -ProbeError.ECANCELED ? e.errno : fail("trace_uprobe", argv, e);
        }
        Vfs.Inode inode = k.vfs().lookup(Vfs.resolve("/", cmd.path()));
        return create("trace_uprobe", argv, cmd.group(), cmd.event(),
                cmd.isReturn() ? ProbeEvent.Type.URETPROBE : ProbeEvent.Type.UPROBE, cmd.args(),
                ev -> new TraceUprobe(ev, k, uprobes, cmd, inode));
    }

    /**
     * {@code register_trace_kprobe()}/{@code register_trace_uprobe()}: the probe joins the event of its name, or
     * makes a new one, and is registered.
     */
    private int create(String loc, List<String> argv, String group, String name, ProbeEvent.Type type,
            List<ProbeArg> args, java.util.function.Function<ProbeEvent, ProbePoint> probe) {
        ProbeEvent old = events.get(group + "/" + name);
        if (old != null) {
            int r = checkAppend(old, type, args, argv, loc, probe.apply(old).location());
            if (r < 0) {
                return r;
            }
        }
        ProbeEvent ev = old != null ? old : newEvent(group, name, type, args);
        ProbePoint p = probe.apply(ev);
        int r = p.register();
        if (r == -Errno.ENOENT && p instanceof TraceKprobe tk && tk.waitsForModule()) {
            k.log().line("\0014" + loc + ": This probe might be able to register after target module is loaded. "
                    + "Continue.\n");
            r = 0;
        }
        if (r < 0) {
            String text = r == -Errno.EILSEQ ? ProbeErrors.BAD_INSN_BNDRY
                    : r == -Errno.ENOENT ? ProbeErrors.BAD_PROBE_ADDR
                    : r != -Errno.ENOMEM && r != -Errno.EEXIST ? ProbeErrors.FAIL_REG_PROBE : null;
            return fail(loc, argv, new ProbeError(text, 1, 0, r));
        }
        return add(ev, old == null, p);
    }

    /** {@code append_trace_kprobe()}/{@code append_trace_uprobe()}: may a probe join an existing event? */
    private int checkAppend(ProbeEvent old, ProbeEvent.Type type, List<ProbeArg> args, List<String> argv,
            String loc, String location) {
        if (old.type != type) {
            if (old.isKernel() != (type == ProbeEvent.Type.KPROBE || type == ProbeEvent.Type.KRETPROBE)) {
                // Another kind of event has the name: trace_add_event_call() refuses it with -EEXIST.
                if (k.profile() == KernelProfile.V4_14 || k.profile() == KernelProfile.V5_10) {
                    k.log().line("\0014" + loc + ": Failed to register probe event(" + -Errno.EEXIST + ")\n");
                    return -Errno.EEXIST;
                }
                return fail(loc, argv, new ProbeError(ProbeErrors.EVENT_EXIST, 0, 0, -Errno.EEXIST));
            }
            return fail(loc, argv, new ProbeError(ProbeErrors.DIFF_PROBE_TYPE, 0, 0, -Errno.EEXIST));
        }
        int diff = 0;
        if (old.args.size() != args.size()) {
            diff = Math.min(old.args.size(), args.size()) + 1;
        } else {
            for (int i = 0; i < args.size() && diff == 0; i++) {
                if (!old.args.get(i).sameShape(args.get(i))) {
                    diff = i + 1;
                }
            }
        }
        if (diff != 0) {
            return fail(loc, argv, new ProbeError(ProbeErrors.DIFF_ARG_TYPE, diff + 1, 0, -Errno.EEXIST));
        }
        for (ProbePoint p : old.points) {
            if (location.equals(p.location())) {
                return fail(loc, argv, new ProbeError(ProbeErrors.SAME_PROBE, 0, 0, -Errno.EEXIST));
            }
        }
        return 0;
    }

    private ProbeEvent newEvent(String group, String name, ProbeEvent.Type type, List<ProbeArg> args) {
        return new ProbeEvent(group, name, nextId, type, args, buffer, legacy);
    }

    private int add(ProbeEvent ev, boolean isNew, ProbePoint p) {
        if (!isNew && ev.enabled) {
            int r = p.arm();
            if (r < 0) {
                p.release();
                return r;
            }
        }
        ev.points.add(p);
        points.add(p);
        if (isNew) {
            nextId++;
            events.put(ev.group + "/" + ev.name, ev);
            dirs.add(ev);
        }
        return 0;
    }

    /** {@code dyn_event_release()}: {@code -:[GRP/]EVENT}. */
    private int release(List<String> argv, Kind kind) {
        String a0 = argv.get(0);
        if (a0.length() < 2 || a0.charAt(1) != ':') {
            return -Errno.EINVAL;
        }
        String event = a0.substring(2);
        String group = null;
        int slash = event.indexOf('/');
        if (slash >= 0) {
            group = event.substring(0, slash);
            event = event.substring(slash + 1);
        }
        if (group == null && event.isEmpty()) {
            return -Errno.EINVAL;
        }
        int ret = -Errno.ENOENT;
        for (ProbeEvent ev : List.copyOf(events.values())) {
            if (!kind.covers(ev) || !ev.name.equals(event) || (group != null && !ev.group.equals(group))) {
                continue;
            }
            ret = remove(ev);
            if (ret < 0) {
                break;
            }
        }
        return ret;
    }

    private int remove(ProbeEvent ev) {
        if (ev.enabled) {
            return -Errno.EBUSY;
        }
        for (ProbePoint p : ev.points) {
            p.release();
            points.remove(p);
        }
        events.remove(ev.group + "/" + ev.name);
        dirs.remove(ev, events.values().stream().noneMatch(e -> e.group.equals(ev.group)));
        return 0;
    }

    /**
     * {@code dyn_events_release_all()}: what opening the file with {@code O_TRUNC} does.
     *
     * @param kind the file's kind
     * @return 0, or -EBUSY (and nothing removed) if one of the events is enabled
     */
    synchronized int clear(Kind kind) {
        for (ProbeEvent ev : events.values()) {
            if (kind.covers(ev) && ev.enabled) {
                return -Errno.EBUSY;
            }
        }
        for (ProbeEvent ev : List.copyOf(events.values())) {
            if (kind.covers(ev)) {
                remove(ev);
            }
        }
        return 0;
    }

    /**
     * Writes an event's {@code enable} file.
     *
     * @param ev the event
     * @param on enable or disable
     * @return 0 or a negative errno
     */
    synchronized int enable(ProbeEvent ev, boolean on) {
        if (on == ev.enabled) {
            return 0;
        }
        if (!on) {
            ev.enabled = false;
            for (ProbePoint p : ev.points) {
                p.disarm();
            }
            return 0;
        }
        List<ProbePoint> armed = new ArrayList<>();
        for (ProbePoint p : ev.points) {
            int r = p.arm();
            if (r < 0) {
                armed.forEach(ProbePoint::disarm);
                return r;
            }
            armed.add(p);
        }
        ev.enabled = true;
        return 0;
    }
}
