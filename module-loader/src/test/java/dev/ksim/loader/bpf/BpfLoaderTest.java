package dev.ksim.loader.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.proc.Process;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BpfLoaderTest {

    @Test
    void unlinkExamplePrintsEntryAndExitLinesForEachRm() {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults())) {
            List<String> lines = new CopyOnWriteArrayList<>();
            k.bpfPrintk().setOutput(buf -> lines.add(buf));
            BpfLoader.LoadResult r = BpfLoader.of(k).load("unlink_program", "UnlinkProgram.class",
                    ClassFiles.of(UnlinkProgram.class));
            assertEquals(0, r.err(), r.log());
            Process sh = k.spawn("/bin/sh");
            for (String f : List.of("test1", "test2")) {
                assertTrue(sh.open(f, 0100 | 01, 0644) >= 0);
                assertEquals(0, sh.unlink(f));
            }
            int pid = sh.pid();
            assertEquals(List.of(
                    "KPROBE ENTRY pid = " + pid + ", filename = test1\n", "KPROBE EXIT: pid = " + pid + ", ret = 0\n",
                    "KPROBE ENTRY pid = " + pid + ", filename = test2\n", "KPROBE EXIT: pid = " + pid + ", ret = 0\n"),
                    lines);
            String list = k.read("/sys/kernel/debug/kprobes/list");
            assertTrue(list.contains(" k  do_unlinkat+0x0"), list);
            assertTrue(list.contains(" r  do_unlinkat+0x0"), list);
            assertEquals(0, BpfLoader.of(k).unload("unlink_program"));
            assertTrue(!k.read("/sys/kernel/debug/kprobes/list").contains("do_unlinkat"));
        }
    }
}
