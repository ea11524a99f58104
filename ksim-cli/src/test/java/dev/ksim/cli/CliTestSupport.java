package dev.ksim.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code ksim} in-process with captured output, in a scratch directory holding the test modules
 * ({@code src/test/resources/modules/*.java}) and the sample module jar ({@code kprobe-example.jar}).
 */
public abstract class CliTestSupport {
    /** The repository root (the ksim home). */
    protected static final Path HOME = Path.of("").toAbsolutePath().getParent();

    @TempDir
    protected Path dir;

    protected KsimEnv env;

    /**
     * What a command did.
     *
     * @param status its exit status
     * @param out its standard output
     * @param err its standard error
     */
    public record Run(int status, String out, String err) {
    }

    @BeforeEach
    void scratch() throws IOException {
        try (var files = Files.list(Path.of("src/test/resources/modules"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Files.copy(HOME.resolve("sample-modules/target/kprobe_example.jar"), dir.resolve("kprobe-example.jar"));
        env = new KsimEnv(HOME, dir.resolve("state"), List.of(HOME.resolve("sample-modules/target/classes")), dir);
    }

    /**
     * Runs {@code ksim ARGS}.
     *
     * @param args the arguments
     * @return what happened
     */
    protected Run ksim(String... args) {
        return ksimWithInput("", args);
    }

    /**
     * Runs {@code ksim ARGS} with standard input.
     *
     * @param input standard input
     * @param args the arguments
     * @return what happened
     */
    protected Run ksimWithInput(String input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream in = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        int status = Ksim.execute(args, env, in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Runs a script with {@code ksim run}.
     *
     * @param script its lines
     * @return what happened
     */
    protected Run script(String script) {
        try {
            Files.writeString(dir.resolve("test.ksim"), script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ksim("run", "test.ksim");
    }
}
