package dev.ksim.loader.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelProfile;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.proc.Process;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    @Test
    void before59LoadingAPrintkProgramPrintsTheTracePrintkNoticeOnce() throws Exception {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withProfile(KernelProfile.V4_14))) {
            assertEquals(0, BpfLoader.of(k).load(KPROBE_LINK, "KprobeLink.java").err());
            assertEquals(0, BpfLoader.of(k).unload("KprobeLink"));
            assertEquals(0, BpfLoader.of(k).load(KPROBE_LINK, "KprobeLink.java").err());
            String dmesg = k.dmesg();
            assertEquals(1, dmesg.split("trace_printk\\(\\) being used", -1).length - 1, dmesg);
        }
        try (SimKernel k = SimKernel.boot(BootOptions.defaults())) {
            assertEquals(0, BpfLoader.of(k).load(KPROBE_LINK, "KprobeLink.java").err());
            assertFalse(k.dmesg().contains("NOTICE"), "since 5.9 the helper writes its own event");
        }
    }

    @Test
    void aJarOfClassesLoadsAsAnObject(@TempDir Path dir) throws Exception {
        Path jar = dir.resolve("fine-object.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, byte[]> e : ClassFiles.of(BpfObjectErrorsTest.Fine.class).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".class"));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        try (SimKernel k = SimKernel.boot(BootOptions.defaults())) {
            BpfLoader.LoadResult r = BpfLoader.of(k).load(jar, "fine-object.jar");
            assertEquals(0, r.err(), r.log());
            assertEquals("fine_object", r.object().name());
            assertEquals(List.of("prog"), r.object().programs().stream().map(BpfProgram::name).toList());
            Path notJar = dir.resolve("junk.jar");
            Files.writeString(notJar, "not a jar");
            assertEquals("libbpf: failed to open junk.jar: not a .java file or a jar\n",
                    BpfLoader.of(k).load(notJar, "junk.jar").log());
        }
    }
}
