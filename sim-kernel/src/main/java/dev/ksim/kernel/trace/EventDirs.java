package dev.ksim.kernel.trace;

import dev.ksim.kernel.fs.PseudoFile;
import dev.ksim.kernel.fs.Vfs;
import dev.ksim.sdk.Errno;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code events/GROUP/EVENT/} directories of dynamic events under each tracefs mount point: {@code enable},
 * {@code filter}, {@code format} and {@code id} per event, {@code enable} per group and for all events.
 */
final class EventDirs {
    private final Vfs vfs;
    private final List<String> roots;
    /** Set once the registry exists (the files call back into it). */
    private DynamicEvents events;

    EventDirs(Vfs vfs, List<String> roots) {
        this.vfs = vfs;
        this.roots = roots;
    }

    void bind(DynamicEvents dynamicEvents) {
        this.events = dynamicEvents;
        for (String r : roots) {
            vfs.mount(r + "/events/enable", new PseudoFile(0644, () -> state(events.events()),
                    s -> enableAll(events.events(), s)));
        }
    }

    /** Mounts an event's directory (and its group's {@code enable}). */
    void add(ProbeEvent ev) {
        for (String r : roots) {
            String dir = r + "/events/" + ev.group + "/" + ev.name;
            vfs.mount(dir + "/enable", new PseudoFile(0644, () -> ev.enabled ? "1\n" : "0\n", s -> {
                Long v = decimal(s);
                if (v == null || (v != 0 && v != 1)) {
                    return -Errno.EINVAL;
                }
                return events.enable(ev, v == 1);
            }));
            vfs.mount(dir + "/filter", new PseudoFile(0644, () -> ev.filter.show(), s -> {
                try {
                    ev.filter = EventFilter.parse(s, ev.args);
                    return 0;
                } catch (EventFilter.FilterError e) {
                    ev.filter = EventFilter.rejected(s, e);
                    return -Errno.EINVAL;
                }
            }));
            vfs.mount(dir + "/format", PseudoFile.readOnly(0444, ev::format));
            vfs.mount(dir + "/id", PseudoFile.readOnly(0444, () -> ev.id + "\n"));
            Supplier<List<ProbeEvent>> group = () -> events.events().stream().filter(e -> e.group.equals(ev.group))
                    .toList();
            vfs.mount(r + "/events/" + ev.group + "/enable", new PseudoFile(0644, () -> state(group.get()),
                    s -> enableAll(group.get(), s)));
        }
    }

    /** Unmounts an event's directory, and its group's when no event is left in it. */
    void remove(ProbeEvent ev, boolean groupEmpty) {
        for (String r : roots) {
            vfs.unmount(r + "/events/" + ev.group + "/" + ev.name);
            if (groupEmpty) {
                vfs.unmount(r + "/events/" + ev.group);
            }
        }
    }

    /** A group's {@code enable}: 0, 1, or X when mixed. */
    private static String state(List<ProbeEvent> evs) {
        boolean on = evs.stream().anyMatch(e -> e.enabled);
        boolean off = evs.stream().anyMatch(e -> !e.enabled);
        return (on && off ? "X" : on ? "1" : "0") + "\n";
    }

    private int enableAll(List<ProbeEvent> evs, String s) {
        Long v = decimal(s);
        if (v == null || (v != 0 && v != 1)) {
            return -Errno.EINVAL;
        }
        for (ProbeEvent e : evs) {
            int r = events.enable(e, v == 1);
            if (r < 0) {
                return r;
            }
        }
        return 0;
    }

    /** {@code kstrtoul_from_user(ubuf, cnt, 10, …)}. */
    static Long decimal(String s) {
        String t = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        if (t.startsWith("+")) {
            t = t.substring(1);
        }
        if (t.isEmpty() || t.length() > 19 || !t.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(t);
    }
}
