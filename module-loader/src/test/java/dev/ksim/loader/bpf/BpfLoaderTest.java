package dev.ksim.loader.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.proc.Process;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The eBPF tutorial's unlink example, loaded from the sample's source, on both architectures. */
class BpfLoaderTest {
    /** The sample, loaded from source as {@code bpf load} loads it. */
    private static final Path KPROBE_LINK = Path.of("../sample-modules/src/main/java/dev/ksim/samples/bpf/KprobeLink.java");

    @ParameterizedTest
    @EnumSource(Arch.class)
    void unlinkExamplePrintsEntryAndExitLinesForEachRm(Arch arch) throws Exception {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withArch(arch))) {
            BpfLoader.LoadResult r = BpfLoader.of(k).load(KPROBE_LINK, "KprobeLink.java");
            assertEquals(0, r.err(), r.log());
            Process sh = k.spawn("/bin/sh");
            for (String f : List.of("test1", "test2")) {
                assertTrue(sh.open(f, Process.O_CREAT | Process.O_WRONLY, 0644) >= 0);
                assertEquals(0, sh.unlink(f));
            }
            String pipe = k.read("/sys/kernel/debug/tracing/trace_pipe");
            int pid = sh.pid();
            String task = "sh-" + pid;
            List<String> lines = pipe.lines().toList();
            assertEquals(4, lines.size(), pipe);
            String[] messages = {"KPROBE ENTRY pid = " + pid + ", filename = test1", "KPROBE EXIT: pid = " + pid + ", ret = 0",
                "KPROBE ENTRY pid = " + pid + ", filename = test2", "KPROBE EXIT: pid = " + pid + ", ret = 0"};
            for (int i = 0; i < 4; i++) {
                assertTrue(lines.get(i).matches(" +" + task + " +\\[\\d{3}\\] \\S{4,5} +\\d+\\.\\d{6}: bpf_trace_printk: "
                        + java.util.regex.Pattern.quote(messages[i])), lines.get(i));
            }
            assertEquals("", k.read("/sys/kernel/debug/tracing/trace_pipe"), "trace_pipe consumed them");
            String list = k.read("/sys/kernel/debug/kprobes/list");
            assertTrue(list.contains(" k  do_unlinkat+0x0"), list);
            assertTrue(list.contains(" r  do_unlinkat+0x0"), list);
            assertEquals(0, BpfLoader.of(k).unload("KprobeLink"));
            assertFalse(k.read("/sys/kernel/debug/kprobes/list").contains("do_unlinkat"));
        }
    }
}
