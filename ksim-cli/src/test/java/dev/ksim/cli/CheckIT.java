package dev.ksim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code ksim check}, and the check {@code insmod} runs on a {@code .java} module. */
@Tag("integration")
class CheckIT extends CliTestSupport {

    @Test
    void checkPrintsFindingsCompilerStyleAndExitsOneOnErrors() {
        Run r = ksim("check", "leaky.java", "hello.java");
        assertEquals(new Run(1, """
                leaky.java:9:60: error: kprobe 'kp' registered in init() is not unregistered in exit(): after rmmod \
                its handler is freed code, called on the next hit [exit-unregister]
                leaky.java:10:17: note: exit() does not call unregister_kprobe(kp)
                1 error, 0 warnings (2 files checked)
                """, ""), r);
        assertEquals(new Run(0, "0 errors, 0 warnings (1 file checked)\n", ""), ksim("check", "hello.java"));
    }

    @Test
    void theProfileOptionAndUsageErrors() throws Exception {
        Files.writeString(dir.resolve("fork.java"), """
                import dev.ksim.sdk.*;
                import static dev.ksim.sdk.Kprobes.*;

                @ModuleInfo(license = "GPL")
                public class Fork implements KernelModule {
                    final Kprobe kp = new Kprobe("_do_fork");
                    public int init() { kp.pre_handler = (p, r) -> 0; return register_kprobe(kp); }
                    public void exit() { unregister_kprobe(kp); }
                }
                """);
        assertEquals(0, ksim("check", "--profile", "4.14", "fork.java").status());
        Run r = ksim("check", "fork.java");
        assertEquals(1, r.status());
        assertTrue(r.out().contains("fork.java:6:34: note: did you mean 'kernel_clone'?"), r.out());
        assertEquals(new Run(2, "", "ksim check: unknown kernel profile '2.6' (4.14, 5.10 or 6.8)\n"),
                ksim("check", "--profile", "2.6", "fork.java"));
        assertEquals(new Run(2, "", "nothing.java: No such file or directory\n"), ksim("check", "nothing.java"));
    }

    @Test
    void insmodRefusesAJavaModuleWithErrorsUnlessToldToIgnoreThem() {
        Run refused = script("""
                insmod leaky.java
                """);
        assertEquals(1, refused.status());
        assertEquals("""
                leaky.java:9:60: error: kprobe 'kp' registered in init() is not unregistered in exit(): after rmmod \
                its handler is freed code, called on the next hit [exit-unregister]
                leaky.java:10:17: note: exit() does not call unregister_kprobe(kp)
                1 error, 0 warnings (1 file checked)
                insmod: ERROR: could not insert module leaky.java: ksim check found 1 error (--ignore-check loads it \
                anyway)
                """, refused.err());
        Run forced = script("""
                insmod --ignore-check leaky.java
                lsmod
                """);
        assertEquals(0, forced.status(), forced.err());
        assertTrue(forced.err().startsWith("leaky.java:9:60: error: "), forced.err());
        assertTrue(forced.out().contains("leaky "), forced.out());
    }

    @Test
    void warningsAloneLoadQuietly() {
        Run r = script("""
                insmod params.java
                """);
        assertEquals(new Run(0, "", ""), r);
        assertTrue(ksim("check", "params.java").out().endsWith("0 errors, 4 warnings (1 file checked)\n"));
    }

    @Test
    void aCleanModuleLoadsQuietly() {
        Run r = script("""
                insmod hello.java
                lsmod
                """);
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
    }
}
