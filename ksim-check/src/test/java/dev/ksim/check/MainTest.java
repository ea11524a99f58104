package dev.ksim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MainTest extends CheckerTestSupport {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aCleanModuleExitsZeroWithTheSummary() {
        Path f = write("Clean", kprobeModule("Clean", "kernel_clone", "", ""));
        assertEquals(0, run(f.toString()));
        assertEquals("0 errors, 0 warnings (1 file checked)\n", out());
    }

    @Test
    void errorsExitOneAndPrintCompilerStyle() {
        Path f = write("Bad", kprobeModule("Bad", "_do_fork", "", ""));
        assertEquals(1, run(f.toString()));
        assertEquals(f + ":23:26: error: '_do_fork' is not in /proc/kallsyms of the 6.8 kernel: register_kprobe() "
                + "returns -ENOENT [probe-symbol]\n"
                + f + ":23:26: note: did you mean 'kernel_clone'? ('_do_fork' is its name on the 4.14 kernel)\n"
                + "1 error, 0 warnings (1 file checked)\n", out());
        out.reset();
        assertEquals(0, run("--profile", "4.14", f.toString()), "the 4.14 kernel has _do_fork");
    }

    @Test
    void warningsExitZeroUnlessWerror() {
        Path f = write("Warn", kprobeModule("Warn", "kernel_clone", "while (true) { }", ""));
        assertEquals(0, run(f.toString()));
        assertTrue(out().contains(": warning: loop without an exit"), out());
        out.reset();
        assertEquals(1, run("--Werror", dir.toString()));
        assertTrue(out().contains(": error: loop without an exit"), out());
        assertTrue(out().endsWith("1 error, 0 warnings (1 file checked)\n"), out());
    }

    @Test
    void usageAndIoErrorsExitTwo() {
        assertEquals(2, run());
        assertTrue(err().startsWith("ksim check: missing PATH\nUsage: ksim check"), err());
        err.reset();
        assertEquals(2, run("--bogus", "x.java"));
        assertTrue(err().startsWith("ksim check: unrecognized option '--bogus'"), err());
        err.reset();
        assertEquals(2, run("--profile", "3.10", "x.java"));
        assertEquals("ksim check: unknown kernel profile '3.10' (4.14, 5.10 or 6.8)\n", err());
        err.reset();
        assertEquals(2, run(dir.resolve("Missing.java").toString()));
        assertEquals(dir.resolve("Missing.java") + ": No such file or directory\n", err());
        err.reset();
        Path broken = write("Broken", "public class Broken { int x = ; }");
        assertEquals(2, run(broken.toString()));
        assertTrue(err().startsWith(broken.toString()), err());
        assertTrue(err().contains("error: "), err());
    }
}
