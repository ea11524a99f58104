package dev.ksim.loader.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.bpf.BpfHashMap;
import dev.ksim.sdk.bpf.BpfPercpuArrayMap;
import dev.ksim.sdk.bpf.BpfRingBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Per-CPU maps, a shared hash map and a ring buffer written by programs running on two CPUs at once. */
class BpfMapsOnCpusTest {

    @Test
    @SuppressWarnings("unchecked")
    void programsOnTwoCpusFillPerCpuValuesAndOneRingBuffer() {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withCpus(2))) {
            BpfLoader.LoadResult r = BpfLoader.of(k).load("unlink_counter", "UnlinkCounter",
                    ClassFiles.of(UnlinkCounter.class, UnlinkCounter.Event.class));
            assertEquals(0, r.err(), r.log());
            List<Process> procs = List.of(k.spawn("/bin/sh"), k.spawn("/bin/sh"));
            List<SimKernel.Job> jobs = new ArrayList<>();
            for (int cpu = 0; cpu < 2; cpu++) {
                Process p = procs.get(cpu);
                assertEquals(0, p.sched_setaffinity(cpu));
                jobs.add(new SimKernel.Job(p, me -> {
                    for (int i = 0; i < 20; i++) {
                        String f = "f" + me.pid() + "." + i;
                        me.close((int) me.open(f, Process.O_CREAT | Process.O_WRONLY, 0644));
                        me.unlink(f);
                    }
                    me.unlink("missing" + me.pid());
                }));
            }
            k.runConcurrently(jobs);

            BpfObject o = r.object();
            BpfPercpuArrayMap<Long> calls = (BpfPercpuArrayMap<Long>) o.map("calls");
            assertEquals(List.of(21L, 21L), calls.values(0), "each CPU counted its own unlinks");
            BpfHashMap<Integer, Long> byPid = (BpfHashMap<Integer, Long>) o.map("by_pid");
            assertEquals(Map.of(procs.get(0).pid(), 21L, procs.get(1).pid(), 21L),
                    Map.of(byPid.keys().get(0), byPid.lookup(byPid.keys().get(0)),
                            byPid.keys().get(1), byPid.lookup(byPid.keys().get(1))));
            // The records are of the program's own Event class, defined by the object's class loader.
            BpfRingBuf<Object> events = (BpfRingBuf<Object>) o.map("events");
            Map<Integer, Integer> perCpu = new TreeMap<>();
            List<Long> failures = new ArrayList<>();
            assertEquals(42, events.consume(e -> {
                perCpu.merge((Integer) component(e, "cpu"), 1, Integer::sum);
                if ((Long) component(e, "ret") != 0) {
                    failures.add((Long) component(e, "ret"));
                }
            }));
            assertEquals(Map.of(0, 21, 1, 21), perCpu);
            assertEquals(List.of(-2L, -2L), failures, "do_unlinkat's -ENOENT, as BPF_KRETPROBE gives it");
            assertEquals(0, BpfLoader.of(k).unload("unlink_counter"));
        }
    }

    private static Object component(Object record, String name) {
        for (java.lang.reflect.RecordComponent c : record.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                try {
                    c.getAccessor().setAccessible(true);
                    return c.getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError(name);
    }
}
