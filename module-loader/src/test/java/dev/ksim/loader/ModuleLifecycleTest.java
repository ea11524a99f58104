package dev.ksim.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.kernel.diag.Taint;
import dev.ksim.loader.fixtures.HelloProbe;
import dev.ksim.loader.image.ModuleFiles;
import dev.ksim.loader.image.ModuleImage;
import dev.ksim.sdk.Errno;
import org.junit.jupiter.api.Test;

/** Loading and unloading: states, errnos, taints and the kernel's messages, as kernel/module/main.c has them. */
class ModuleLifecycleTest extends LoaderTestSupport {
    private static final String COUNTER = """
            @ModuleInfo(license = "GPL")
            public class Counter implements KernelModule {
                public int init() { pr_info("counter: up\\n"); return 0; }
                public void exit() { pr_info("counter: down\\n"); }
            }
            """;

    @Test
    void loadRunsInitAndMakesTheModuleLiveWithSysfsAndProcModules() throws Exception {
        boot();
        assertEquals(0, loader.insmod(ModuleFiles.ofClass(HelloProbe.class), ""));
        LoadedModule m = loader.find("hello_probe");
        assertEquals(ModuleState.LIVE, m.state());
        assertEquals("live\n", k.read("/sys/module/hello_probe/initstate"));
        assertEquals("0\n", k.read("/sys/module/hello_probe/refcnt"));
        assertEquals("OE\n", k.read("/sys/module/hello_probe/taint"));
        assertEquals("1.2\n", k.read("/sys/module/hello_probe/version"));
        assertTrue(k.read("/proc/modules").matches("hello_probe \\d+ 0 - Live 0x[0-9a-f]{16} \\(OE\\)\n"),
                k.read("/proc/modules"));
        assertTrue(k.read("/proc/kallsyms").contains(" t helper\t[hello_probe]\n"));
        k.spawn("/bin/sh");
        assertEquals("1\n", k.read("/sys/module/hello_probe/parameters/hits"));
        assertEquals(0, loader.rmmod("hello_probe", false));
        assertNull(loader.find("hello_probe"));
        assertNull(k.vfs().lookup("/sys/module/hello_probe"));
        assertEquals("", k.read("/proc/modules"));
        assertFalse(k.read("/proc/kallsyms").contains("[hello_probe]"));
        assertTrue(log().contains("hello_probe: hit kernel_clone\nhello_probe: bye after 1 hits\n"), log());
    }

    @Test
    void firstLoadTaintsOutOfTreeAndUnsignedOnceThenSilently() {
        boot();
        assertEquals(0, loader.insmod(module("counter", COUNTER), ""));
        assertEquals(0, loader.insmod(module("counter2", COUNTER.replace("class Counter", "class Counter2")), ""));
        assertEquals("""
                Linux version 6.8.0-ksim (ksim@ksim) (javac 17) #1 SMP PREEMPT_DYNAMIC
                counter: loading out-of-tree module taints kernel.
                counter: module verification failed: signature and/or required key missing - tainting kernel
                counter: up
                counter: up
                """, log());
        assertEquals(Taint.Flag.OOT_MODULE.bit() | Taint.Flag.UNSIGNED_MODULE.bit(), k.taint().mask());
        assertEquals("OE", loader.find("counter2").taintLetters());
    }

    @Test
    void signingOffDoesNotTaintEAndEnforcingRejects() {
        boot(LoaderOptions.defaults().withMirrorToSlf4j(false).withSigning(ModuleSigning.OFF));
        assertEquals(0, loader.insmod(module("counter", COUNTER), ""));
        assertEquals("O", loader.find("counter").taintLetters());
        k.close();
        boot(LoaderOptions.defaults().withMirrorToSlf4j(false).withSigning(ModuleSigning.ENFORCE));
        assertEquals(-Errno.EKEYREJECTED, loader.insmod(module("counter", COUNTER), ""));
        assertTrue(log().endsWith("Loading of unsigned module is rejected\n"), log());
        assertEquals(0, k.taint().mask());
    }

    @Test
    void sameNameTwiceIsEexistAndDashesAreUnderscores() {
        boot();
        assertEquals(0, loader.insmod(module("counter", COUNTER), ""));
        assertEquals(-Errno.EEXIST, loader.insmod(module("counter", COUNTER), ""));
        assertEquals(-Errno.ENOENT, loader.rmmod("nosuch", false));
    }

    @Test
    void negativeInitFailsTheLoadAndUnloadsIt() {
        boot();
        ModuleImage m = module("bad", """
                @ModuleInfo(license = "GPL")
                public class Bad implements KernelModule { public int init() { return -EINVAL; } }
                """.replace("-EINVAL", "-" + Errno.EINVAL));
        assertEquals(-Errno.EINVAL, loader.insmod(m, ""));
        assertNull(loader.find("bad"));
        assertNull(k.vfs().lookup("/sys/module/bad"));
        assertFalse(k.read("/proc/kallsyms").contains("[bad]"));
        ModuleImage exists = module("busy", """
                @ModuleInfo(license = "GPL")
                public class Busy implements KernelModule { public int init() { return -17; } }
                """);
        assertEquals(-Errno.EBUSY, loader.insmod(exists, ""), "init's -EEXIST becomes -EBUSY");
    }

    @Test
    void positiveInitIsWarnedAboutWithAStackDumpAndTheModuleLoads() {
        boot();
        assertEquals(0, loader.insmod(module("odd", """
                @ModuleInfo(license = "GPL")
                public class Odd implements KernelModule { public int init() { return 1; } public void exit() { } }
                """), ""));
        assertEquals(ModuleState.LIVE, loader.find("odd").state());
        assertTrue(log().contains("""
                do_init_module: 'odd'->init suspiciously returned 1, it should follow 0/-E convention
                do_init_module: loading module anyway...
                CPU: 0 PID: 1 Comm: init Tainted: G           OE      6.8.0-ksim #1
                """), log());
        assertTrue(log().contains(" do_init_module+0x"), log());
    }

    @Test
    void aModuleWithoutExitCannotBeRemovedButForcedRemovalTaintsR() {
        boot();
        assertEquals(0, loader.insmod(module("stuck", """
                @ModuleInfo(license = "GPL")
                public class Stuck implements KernelModule { public int init() { return 0; } }
                """), ""));
        assertTrue(k.read("/proc/modules").startsWith("stuck 4096 0 [permanent], Live "), k.read("/proc/modules"));
        assertEquals(-Errno.EBUSY, loader.rmmod("stuck", false));
        assertEquals(0, loader.rmmod("stuck", true));
        assertTrue(k.taint().test(Taint.Flag.FORCED_RMMOD));
        assertTrue(log().endsWith("Disabling lock debugging due to kernel taint\n"), log());
    }

    @Test
    void referencesKeepAModuleUnlessForced() {
        boot();
        assertEquals(0, loader.insmod(module("counter", COUNTER), ""));
        assertTrue(loader.tryModuleGet("counter"));
        assertEquals("1\n", k.read("/sys/module/counter/refcnt"));
        assertEquals(-Errno.EWOULDBLOCK, loader.rmmod("counter", false));
        loader.modulePut("counter");
        assertEquals(0, loader.rmmod("counter", false));
        assertEquals(0, loader.insmod(module("counter", COUNTER), ""));
        assertTrue(loader.tryModuleGet("counter"));
        assertEquals(0, loader.rmmod("counter", true));
        assertFalse(loader.tryModuleGet("counter"));
    }

    @Test
    void aModuleUsingAnothersClassesHoldsIt() {
        boot();
        assertEquals(0, loader.insmod(module("lib", """
                @ModuleInfo(license = "GPL")
                public class Lib implements KernelModule {
                    public static int answer() { return 42; }
                    public int init() { return 0; }
                    public void exit() { }
                }
                """), ""));
        ModuleImage user = module("user", """
                @ModuleInfo(license = "GPL")
                public class User implements KernelModule {
                    public int init() { pr_info("user: %d\\n", Lib.answer()); return 0; }
                    public void exit() { }
                }
                """.replace("Lib.answer()", "42"));
        // Compile the user against the loaded lib, as a module is built against Module.symvers.
        try {
            var classes = dev.ksim.loader.image.JavaSourceCompiler.compile("user.java",
                    "import dev.ksim.sdk.*;\nimport static dev.ksim.sdk.Printk.*;\n@ModuleInfo(license = \"GPL\")\n"
                            + "public class User implements KernelModule { public int init() { pr_info(\"user: %d\\n\","
                            + " Lib.answer()); return 0; } public void exit() { } }",
                    dev.ksim.loader.image.JavaSourceCompiler.defaultClasspath(), loader.exportedClasses());
            user = ModuleImage.of("user", "user.java", classes, null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertEquals(0, loader.insmod(user, ""));
        assertTrue(log().contains("user: 42\n"));
        assertEquals(1, loader.find("lib").refcount());
        assertTrue(k.read("/proc/modules").contains("lib 4096 1 user, Live "), k.read("/proc/modules"));
        assertNotNull(k.vfs().lookup("/sys/module/lib/holders/user"));
        assertEquals(-Errno.EWOULDBLOCK, loader.rmmod("lib", false));
        assertEquals(-Errno.EWOULDBLOCK, loader.rmmod("lib", true), "holders block even a forced unload");
        assertEquals(0, loader.rmmod("user", false));
        assertEquals(0, loader.find("lib").refcount());
        assertEquals(0, loader.rmmod("lib", false));
    }

    @Test
    void aPublicClassAlreadyExportedIsADuplicateSymbol() {
        boot();
        assertEquals(0, loader.insmod(module("counter", COUNTER), ""));
        assertEquals(-Errno.ENOEXEC, loader.insmod(module("copy", COUNTER), ""));
        assertTrue(log().endsWith("copy: exports duplicate symbol Counter (owned by counter)\n"), log());
    }

    @Test
    void anOopsInInitKillsTheLoaderAndLeavesTheModuleComing() {
        boot();
        ModuleImage crash = module("crash", """
                @ModuleInfo(license = "GPL")
                public class Crash implements KernelModule {
                    String s;
                    int helper() { return s.length(); }
                    public int init() { return helper(); }
                    public void exit() { }
                }
                """);
        assertThrows(TaskKilled.class, () -> loader.insmod(crash, ""));
        assertEquals(ModuleState.COMING, loader.find("crash").state());
        assertTrue(log().contains("RIP: 0010:helper+0x"), log());
        assertTrue(log().contains(" helper+0x6/0x10 [crash]\n init+0x6/0x10 [crash]\n do_one_initcall+"), log());
        assertTrue(log().contains("Modules linked in: crash(OE+)\n"), log());
        assertTrue(k.read("/proc/modules").contains(" Loading 0x"), k.read("/proc/modules"));
        assertEquals(-Errno.EBUSY, loader.rmmod("crash", false));
        assertEquals(-Errno.EBUSY, loader.rmmod("crash", true));
    }

    @Test
    void modulesLinkedInListsLoadedModulesNewestFirstAndTheLastUnloaded() {
        boot();
        loader.insmod(module("counter", COUNTER), "");
        loader.insmod(module("other", COUNTER.replace("class Counter", "class Other")), "");
        loader.rmmod("counter", false);
        loader.insmod(module("counter", COUNTER), "");
        assertEquals(" counter(OE) other(OE) [last unloaded: counter(OE)]", loader.modulesLinkedIn());
    }
}
