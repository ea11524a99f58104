package dev.ksim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The {@code bpf} command: the unlink example end to end, listings, map dumps and rejections. */
@Tag("integration")
class BpfIT extends CliTestSupport {

    @Test
    void unlinkExampleScriptShowsEntryAndExitLinesInTracePipe() {
        env = env.withCwd(HOME);
        Run r = ksim("run", HOME.resolve("examples/bpf-unlink.ksim").toString());
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        assertTrue(Pattern.compile("(?m)^1: kprobe  name do_unlinkat  tag [0-9a-f]{16}  gpl$").matcher(out).find(), out);
        assertTrue(out.contains("pid 0  fd 1: prog_id 1  kprobe  func do_unlinkat  offset 0\n"
                + "pid 0  fd 2: prog_id 2  kretprobe  func do_unlinkat  offset 0\n"), out);
        assertTrue(out.contains("  k  do_unlinkat+0x0"), out);
        assertTrue(out.contains("  r  do_unlinkat+0x0"), out);
        for (String f : new String[] {"test1", "test2"}) {
            assertTrue(Pattern.compile("(?m)^ +rm-(\\d+) +\\[\\d{3}\\] \\S{4,5} +\\d+\\.\\d{6}: bpf_trace_printk: "
                    + "KPROBE ENTRY pid = \\1, filename = " + f + "$").matcher(out).find(), out);
        }
        assertEquals(2, Pattern.compile("(?m)bpf_trace_printk: KPROBE EXIT: pid = \\d+, ret = 0$").matcher(out)
                .results().count(), out);
    }

    @Test
    void mapsAreListedAndDumped() throws IOException {
        Files.writeString(dir.resolve("count_unlinks.java"), """
                import static dev.ksim.sdk.bpf.Bpf.*;
                import dev.ksim.sdk.PtRegs;
                import dev.ksim.sdk.bpf.*;

                public class CountUnlinks {
                    @SEC("license") static final String LICENSE = "GPL";
                    @SEC(".maps") static final BpfHashMap<Integer, Long> by_ret = new BpfHashMap<>(Integer.class, Long.class, 16);
                    @SEC(".maps") static final BpfPercpuArrayMap<Long> calls = new BpfPercpuArrayMap<>(0L, 1);

                    @SEC("kretprobe/do_unlinkat")
                    static int count(PtRegs ctx, int ret) {
                        Long n = bpf_map_lookup_elem(by_ret, ret);
                        bpf_map_update_elem(by_ret, ret, n == null ? 1L : n + 1, BPF_ANY);
                        Long c = bpf_map_lookup_elem(calls, 0);
                        if (c != null) {
                            bpf_map_update_elem(calls, 0, c + 1, BPF_ANY);
                        }
                        return 0;
                    }
                }
                """);
        Run r = script("""
                bpf load count_unlinks.java
                touch a; rm a; rm a || true
                bpf map list
                bpf map dump by_ret
                bpf map dump id 2
                """);
        assertEquals(0, r.status(), r.err());
        assertEquals("rm: cannot remove 'a': No such file or directory\n", r.err());
        assertEquals("""
                1: hash  name by_ret  flags 0x0
                \tkey 4B  value 8B  max_entries 16
                2: percpu_array  name calls  flags 0x0
                \tkey 4B  value 8B  max_entries 1
                [{
                        "key": 0,
                        "value": 1
                    },{
                        "key": -2,
                        "value": 1
                    }
                ]
                [{
                        "key": 0,
                        "values": [{
                                "cpu": 0,
                                "value": 1
                            },{
                                "cpu": 1,
                                "value": 1
                            },{
                                "cpu": 2,
                                "value": 0
                            },{
                                "cpu": 3,
                                "value": 0
                            }
                        ]
                    }
                ]
                """, r.out());
    }

    @Test
    void verifierRejectionPrintsTheLogAndAttachesNothing() throws IOException {
        Files.writeString(dir.resolve("sleepy.java"), """
                import dev.ksim.sdk.PtRegs;
                import dev.ksim.sdk.Kernel;
                import dev.ksim.sdk.bpf.SEC;

                public class Sleepy {
                    @SEC("kprobe/vfs_read")
                    static int ok(PtRegs ctx) {
                        return 0;
                    }

                    @SEC("kprobe/do_unlinkat")
                    static int nap(PtRegs ctx) {
                        Kernel.msleep(10);
                        return 0;
                    }
                }
                """);
        Run r = script("""
                bpf load sleepy.java || echo refused
                bpf list
                cat /sys/kernel/debug/kprobes/list
                """);
        assertEquals("refused\n", r.out(), "nothing listed, nothing attached");
        assertTrue(r.err().startsWith("""
                libbpf: prog 'nap': BPF program load failed: Invalid argument
                libbpf: prog 'nap': -- BEGIN PROG LOAD LOG --
                """), r.err());
        assertTrue(r.err().endsWith("""
                helper call might sleep in a non-sleepable prog
                -- END PROG LOAD LOG --
                libbpf: prog 'nap': failed to load: -22
                libbpf: failed to load object 'sleepy'
                Error: failed to load object file: Invalid argument
                """), r.err());
    }

    @Test
    void usageAndMissingObjects() {
        assertEquals(new Run(2, "", "bpf: usage: bpf load FILE\n"), script("bpf load\n"));
        assertEquals(new Run(1, "", "Error: can't find object 'nope': No such file or directory\n"),
                script("bpf unload nope\n"));
        assertEquals(new Run(1, "", "Error: get map by id '7': No such file or directory\n"),
                script("bpf map dump id 7\n"));
    }
}
