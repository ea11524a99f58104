package dev.ksim.cli.bpf;

import dev.ksim.loader.bpf.BpfObject;
import dev.ksim.loader.bpf.BpfProgram;
import dev.ksim.sdk.bpf.BpfKvMap;
import dev.ksim.sdk.bpf.BpfMap;
import java.lang.reflect.RecordComponent;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.StringJoiner;

/** bpftool's plain-text output: {@code prog list}, {@code perf list}, {@code map list} and {@code map dump} with BTF. */
final class BpftoolFormat {
    private static final DateTimeFormatter LOADED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ")
            .withZone(ZoneOffset.UTC);

    private BpftoolFormat() {
    }

    /** {@code bpftool prog list}: two or three lines per program. */
    static String progList(List<BpfObject> objects) {
        StringBuilder b = new StringBuilder();
        for (BpfObject o : objects) {
            for (BpfProgram p : o.programs()) {
                b.append(p.id()).append(": kprobe  name ").append(p.name()).append("  tag ").append(p.tag());
                if (p.gpl()) {
                    b.append("  gpl");
                }
                if (p.recursionMisses() > 0) {
                    b.append("  recursion_misses ").append(p.recursionMisses());
                }
                b.append('\n');
                b.append("\tloaded_at ").append(LOADED_AT.format(p.loadedAt())).append("  uid 0\n");
                b.append("\txlated ").append(p.insns() * 8L).append("B  not jited  memlock 4096B");
                if (!p.mapIds().isEmpty()) {
                    StringJoiner ids = new StringJoiner(",");
                    p.mapIds().forEach(i -> ids.add(String.valueOf(i)));
                    b.append("  map_ids ").append(ids);
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    /**
     * {@code bpftool perf list}: where each program is attached (the perf event's kprobe), as
     * {@code pid PID  fd FD: prog_id ID  kprobe  func FUNC  offset OFF}. The loader holds the events itself,
     * so pid and fd are those of no process: 0 and the program id.
     */
    static String perfList(List<BpfObject> objects) {
        StringBuilder b = new StringBuilder();
        for (BpfObject o : objects) {
            for (BpfProgram p : o.programs()) {
                b.append("pid 0  fd ").append(p.id()).append(": prog_id ").append(p.id()).append("  ")
                        .append(p.retprobe() ? "kretprobe" : "kprobe").append("  func ").append(p.target())
                        .append("  offset ").append(p.offset()).append('\n');
            }
        }
        return b.toString();
    }

    /** {@code bpftool map list}. */
    static String mapList(List<BpfObject> objects) {
        StringBuilder b = new StringBuilder();
        for (BpfObject o : objects) {
            for (BpfMap m : o.maps()) {
                b.append(m.id()).append(": ").append(m.type().bpftoolName()).append("  name ").append(m.name())
                        .append("  flags 0x0\n\t");
                if (m.keySize() >= 0 && m.valueSize() >= 0) {
                    b.append("key ").append(m.keySize()).append("B  value ").append(m.valueSize()).append("B  ");
                }
                b.append("max_entries ").append(m.maxEntries()).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * {@code bpftool map dump}: the elements as bpftool prints them with BTF; per-CPU maps list each CPU's
     * value.
     */
    static <K, V> String mapDump(BpfKvMap<K, V> m) {
        List<K> keys = m.keys();
        if (keys.isEmpty()) {
            return "[]\n";
        }
        StringBuilder b = new StringBuilder("[");
        String sep = "{";
        for (K k : keys) {
            List<V> values = m.values(k);
            if (values.isEmpty()) {
                continue;
            }
            b.append(sep).append("\n        \"key\": ").append(json(k, 8)).append(",\n");
            if (m.percpu()) {
                b.append("        \"values\": [");
                String inner = "{";
                for (int cpu = 0; cpu < values.size(); cpu++) {
                    b.append(inner).append("\n                \"cpu\": ").append(cpu).append(",\n                \"value\": ")
                            .append(json(values.get(cpu), 16)).append("\n            ");
                    inner = "},{";
                }
                b.append("}\n        ]\n    ");
            } else {
                b.append("        \"value\": ").append(json(values.get(0), 8)).append("\n    ");
            }
            sep = "},{";
        }
        return b.append("}\n]\n").toString();
    }

    /** A value as bpftool's BTF dumper prints it: numbers bare, strings quoted, structs as objects. */
    static String json(Object v, int indent) {
        if (v instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        if (v instanceof Character c) {
            return String.valueOf((int) c);
        }
        if (v instanceof byte[] bytes) {
            StringJoiner j = new StringJoiner(",", "[", "]");
            for (byte x : bytes) {
                j.add(String.valueOf(x));
            }
            return j.toString();
        }
        if (v != null && v.getClass().isRecord()) {
            StringBuilder b = new StringBuilder("{");
            String pad = " ".repeat(indent + 4);
            String sep = "\n";
            for (RecordComponent c : v.getClass().getRecordComponents()) {
                Object x;
                try {
                    c.getAccessor().setAccessible(true);
                    x = c.getAccessor().invoke(v);
                } catch (ReflectiveOperationException e) {
                    x = null;
                }
                b.append(sep).append(pad).append('"').append(c.getName()).append("\": ").append(json(x, indent + 4));
                sep = ",\n";
            }
            return b.append('\n').append(" ".repeat(indent)).append('}').toString();
        }
        return String.valueOf(v);
    }
}
