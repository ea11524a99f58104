package dev.ksim.cli.shell;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.cli.KsimEnv;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tab completion: commands, options, modules, kallsyms symbols and simulated paths. */
class ShellCompleterTest {
    private static final Path HOME = Path.of("").toAbsolutePath().getParent();
    private KernelHost host;
    private Session session;
    private LineReader reader;
    private ShellCompleter completer;

    @BeforeEach
    void boot() throws Exception {
        KsimEnv env = new KsimEnv(HOME, HOME.resolve("target/none"), List.of(HOME.resolve("sample-modules/target/classes")),
                HOME);
        host = KernelHost.boot(KernelSpec.defaults(), env);
        PrintWriter w = new PrintWriter(new StringWriter());
        session = new Session(host, env, w, w);
        Terminal t = new DumbTerminal("t", Terminal.TYPE_DUMB, new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), StandardCharsets.UTF_8);
        reader = LineReaderBuilder.builder().terminal(t).build();
        completer = new ShellCompleter(session);
    }

    @AfterEach
    void close() {
        session.close();
        host.close();
    }

    private List<String> complete(String line) {
        List<Candidate> c = new ArrayList<>();
        completer.complete(reader, new DefaultParser().parse(line, line.length(), org.jline.reader.Parser.ParseContext.COMPLETE), c);
        return c.stream().map(Candidate::value).toList();
    }

    @Test
    void commandNames() {
        assertTrue(complete("ins").contains("insmod"));
        assertTrue(complete("").containsAll(List.of("rmmod", "lsmod", "dmesg", "stress")));
    }

    @Test
    void optionsFromTheCommandsSpecs() {
        assertTrue(complete("dmesg -").containsAll(List.of("-w", "--follow", "-l")), complete("dmesg -").toString());
    }

    @Test
    void moduleNamesAndSymbols() {
        assertTrue(complete("modprobe kp").contains("kprobe_example"));
        assertTrue(complete("modprobe kprobe_example symbol=do_").contains("symbol=do_sys_openat2"));
        assertTrue(complete("insmod x.jar symbol=kernel_").contains("symbol=kernel_clone"));
    }

    @Test
    void simulatedPaths() {
        assertTrue(complete("cat /sys/kernel/debug/kprobes/").contains("/sys/kernel/debug/kprobes/list"),
                complete("cat /sys/kernel/debug/kprobes/").toString());
        assertTrue(complete("cat /pro").contains("/proc/"));
        assertTrue(complete("echo 1 > /proc/sys/kernel/").contains("/proc/sys/kernel/tainted"));
    }

    @Test
    void bpfSubcommandsObjectsAndMaps() throws Exception {
        assertTrue(complete("bpf ").containsAll(List.of("load", "unload", "list", "prog", "perf", "map")), complete("bpf ").toString());
        assertTrue(complete("bpf map ").containsAll(List.of("list", "dump")), complete("bpf map ").toString());
        java.nio.file.Path src = HOME.resolve("sample-modules/src/main/java/dev/ksim/samples/bpf/KprobeLink.java");
        assertTrue(dev.ksim.loader.bpf.BpfLoader.of(host.kernel()).load(src, "KprobeLink.java").err() == 0);
        assertTrue(complete("bpf unload ").contains("KprobeLink"), complete("bpf unload ").toString());
    }
}
