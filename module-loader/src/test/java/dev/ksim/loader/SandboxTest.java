package dev.ksim.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.sdk.Errno;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The module sandbox: a module may link only against what the kernel exports (the SDK and a safe JDK
 * subset). Each forbidden reference is refused at insmod as an unknown symbol, before any of the
 * module's code runs.
 */
class SandboxTest extends LoaderTestSupport {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "exit the JVM           | System.exit(1);                                              | java.lang.System.exit",
        "halt the JVM           | Runtime.getRuntime().halt(1);                                | java.lang.Runtime",
        "start a thread         | new Thread(() -> { }).start();                               | java.lang.Thread.<init>",
        "spawn a process        | new ProcessBuilder(\"sh\").start();                          | java.lang.ProcessBuilder",
        "reflect by name        | Class.forName(\"dev.ksim.kernel.SimKernel\");               | java.lang.Class.forName",
        "reflect on members     | getClass().getDeclaredFields();                              | java.lang.Class.getDeclaredFields",
        "reach a class loader   | getClass().getClassLoader();                                 | java.lang.Class.getClassLoader",
        "method handles         | java.lang.invoke.MethodHandles.lookup();                     | java.lang.invoke.MethodHandles",
        "reflection API         | Object.class.getMethod(\"hashCode\").invoke(this);           | java.lang.reflect.Method",
        "simulator internals    | dev.ksim.kernel.SimKernel.boot(null);                        | dev.ksim.kernel.SimKernel",
        "the module loader      | dev.ksim.loader.ModuleLoader.of(null);                       | dev.ksim.loader.ModuleLoader",
        "read a file            | new java.io.FileInputStream(\"/etc/passwd\").read();         | java.io.FileInputStream",
        "files through nio      | java.nio.file.Files.readString(java.nio.file.Path.of(\"x\")); | java.nio.file.Files",
        "open a socket          | new java.net.Socket(\"localhost\", 80);                      | java.net.Socket",
        "print to the host      | System.out.println(\"hi\");                                  | java.lang.System.out",
        "host stack traces      | new RuntimeException().printStackTrace();                    | java.lang.RuntimeException.printStackTrace",
        "system properties      | Integer.getInteger(\"x\");                                   | java.lang.Integer.getInteger",
        "thread pools           | java.util.concurrent.Executors.newCachedThreadPool();        | java.util.concurrent.Executors",
        "timers                 | new java.util.Timer();                                       | java.util.Timer",
        "parallel streams       | java.util.List.of(1).parallelStream().count();               | java.util.List.parallelStream",
    })
    void forbiddenReferencesAreUnknownSymbols(String what, String code, String symbol) {
        boot();
        String src = "@ModuleInfo(license = \"GPL\")\npublic class Evil implements KernelModule {\n"
                + "    public int init() { try { " + code + " } catch (Exception e) { } return 0; }\n}\n";
        assertEquals(-Errno.ENOENT, loader.insmod(module("evil", src), ""), what);
        assertTrue(log().contains("evil: Unknown symbol " + symbol + " (err -2)\n"), log());
        assertNull(loader.find("evil"));
    }

    @Test
    void whatTheKernelExportsLinks() {
        boot();
        String src = """
                import java.util.*;
                import java.util.concurrent.atomic.AtomicLong;
                @ModuleInfo(license = "GPL")
                public class Good implements KernelModule {
                    record Hit(String fn, long n) { }
                    enum Kind { A, B }
                    final Map<String, AtomicLong> counts = new HashMap<>();
                    public int init() {
                        List<Hit> hits = new ArrayList<>();
                        hits.add(new Hit("x", 1));
                        String s = "n=" + hits.size() + " " + Kind.valueOf("B") + " " + hits.get(0);
                        counts.computeIfAbsent("a", k -> new AtomicLong()).incrementAndGet();
                        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                        b.putLong(System.nanoTime());
                        assert s.length() > 0;
                        switch (Kind.A) { case A -> s += Math.max(1, 2); default -> s += "?"; }
                        pr_info("good: %s %d\\n", s, counts.get("a").get());
                        return 0;
                    }
                    public void exit() { }
                }
                """;
        assertEquals(0, loader.insmod(module("good", src), ""), log());
        assertTrue(log().contains("good: n=1 B Hit[fn=x, n=1]2 1\n"), log());
    }

    private static String kprobeModule(String cls, String license) {
        return """
                @ModuleInfo(license = "LICENSE")
                public class CLS implements KernelModule {
                    final Kprobe kp = new Kprobe("kernel_clone");
                    public int init() { return register_kprobe(kp); }
                    public void exit() { unregister_kprobe(kp); }
                }
                """.replace("LICENSE", license).replace("CLS", cls);
    }

    @Test
    void theKprobesApiIsGplOnly() {
        boot();
        assertEquals(-Errno.ENOENT, loader.insmod(module("closed", kprobeModule("Closed", "Proprietary")), ""));
        assertTrue(log().endsWith("""
                closed: loading out-of-tree module taints kernel.
                closed: module license 'Proprietary' taints kernel.
                Disabling lock debugging due to kernel taint
                closed: module verification failed: signature and/or required key missing - tainting kernel
                closed: Unknown symbol register_kprobe (err -2)
                closed: Unknown symbol unregister_kprobe (err -2)
                """), log());
        assertTrue(k.taint().test(dev.ksim.kernel.diag.Taint.Flag.PROPRIETARY_MODULE), "the taint stays");
    }

    @Test
    void aModuleWithoutLicenseIsUnspecifiedAndNotGpl() {
        boot();
        String src = """
                public class Anon implements KernelModule {
                    public int init() { return enable_kprobe(null); }
                }
                """;
        assertEquals(-Errno.ENOENT, loader.insmod(module("anon", src), ""));
        assertTrue(log().contains("anon: module license 'unspecified' taints kernel.\n"), log());
        assertTrue(log().contains("anon: Unknown symbol enable_kprobe (err -2)\n"), log());
    }

    @ParameterizedTest
    @CsvSource({"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL", "Dual MIT/GPL", "Dual MPL/GPL"})
    void gplCompatibleLicensesMayUseTheKprobesApi(String license) {
        boot();
        assertEquals(0, loader.insmod(module("open", kprobeModule("Open", license)), ""));
        assertEquals("OE", loader.find("open").taintLetters());
    }
}
