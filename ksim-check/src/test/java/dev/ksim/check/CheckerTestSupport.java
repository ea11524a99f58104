package dev.ksim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.KernelProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/** Writes module sources to a temporary source tree and checks them. */
abstract class CheckerTestSupport {
    /** The imports every test module gets. */
    static final String IMPORTS = """
            package test.mods;

            import static dev.ksim.sdk.Kernel.*;
            import static dev.ksim.sdk.Kprobes.*;
            import static dev.ksim.sdk.Printk.*;

            import dev.ksim.sdk.*;
            import dev.ksim.sdk.linux.TaskStruct;

            """;

    @TempDir
    Path dir;

    /**
     * @param className the module class
     * @param body the source after the imports
     * @return the file written
     */
    Path write(String className, String body) {
        try {
            Path pkg = Files.createDirectories(dir.resolve("test/mods"));
            Path f = pkg.resolve(className + ".java");
            Files.writeString(f, IMPORTS + body);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks one module on the current kernel.
     *
     * @param className the class
     * @param body its source after the imports
     * @return the report
     */
    CheckReport check(String className, String body) {
        return check(KernelProfile.current(), className, body);
    }

    CheckReport check(KernelProfile profile, String className, String body) {
        try {
            return new ModuleChecker(profile).check(List.of(write(className, body)));
        } catch (CheckException e) {
            throw new AssertionError(e);
        }
    }

    /** A module with a kprobe whose handler is the given method body, registered and unregistered cleanly. */
    static String kprobeModule(String className, String symbol, String handlerBody, String extra) {
        return """
                @ModuleInfo(license = "GPL")
                public class CLS implements KernelModule {
                    final Kprobe kp = new Kprobe();

                    int handler_pre(Kprobe p, PtRegs regs) {
                        BODY
                        return 0;
                    }

                    EXTRA

                    @Override
                    public int init() {
                        kp.symbol_name = "SYM";
                        kp.pre_handler = this::handler_pre;
                        return register_kprobe(kp);
                    }

                    @Override
                    public void exit() {
                        unregister_kprobe(kp);
                    }
                }
                """.replace("CLS", className).replace("SYM", symbol).replace("BODY", handlerBody)
                .replace("EXTRA", extra);
    }

    static void assertClean(CheckReport r) {
        assertEquals(List.of(), r.diagnostics().stream().map(Diagnostic::format).toList());
    }

    static Diagnostic only(CheckReport r, Rule rule) {
        List<Diagnostic> d = r.of(rule);
        assertEquals(1, d.size(), r.format());
        assertTrue(r.diagnostics().stream().allMatch(x -> x.rule() == rule), r.format());
        return d.get(0);
    }
}
