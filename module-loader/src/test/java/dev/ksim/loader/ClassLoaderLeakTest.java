package dev.ksim.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.kernel.proc.Process;
import dev.ksim.loader.image.ModuleImage;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 1,000 insmod/rmmod cycles of a module whose kprobe fires on every fork, while processes fork, exec,
 * open, write and unlink on every CPU: no probe is left behind and every module class loader is
 * collected.
 */
@Tag("integration")
class ClassLoaderLeakTest {
    private static final String PROBE = """
            import dev.ksim.sdk.*;
            import static dev.ksim.sdk.Kprobes.*;
            @ModuleInfo(license = "GPL")
            public class Cycling implements KernelModule {
                final Kprobe kp = new Kprobe("kernel_clone");
                final Kprobe kp2 = new Kprobe("do_sys_openat2");
                long hits;
                int pre(Kprobe p, PtRegs r) { hits++; return 0; }
                public int init() {
                    kp.pre_handler = this::pre;
                    kp2.pre_handler = (p, r) -> { hits++; return 0; };
                    return register_kprobes(new Kprobe[] {kp, kp2}, 2);
                }
                public void exit() { unregister_kprobes(new Kprobe[] {kp, kp2}, 2); }
            }
            """;

    @Test
    void thousandCyclesUnderLoadLeakNoClassLoaderAndNoProbe() throws Exception {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withCpus(4))) {
            ModuleLoader loader = ModuleLoader.attach(k, LoaderOptions.defaults().withMirrorToSlf4j(false));
            ModuleImage image = ModuleImage.of("cycling", "cycling.java", dev.ksim.loader.image.JavaSourceCompiler
                    .compile("cycling.java", PROBE, dev.ksim.loader.image.JavaSourceCompiler.defaultClasspath(),
                            java.util.Map.of()), null);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong ops = new AtomicLong();
            List<Thread> workload = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                Process p = k.spawn("/bin/sh");
                Thread t = new Thread(() -> {
                    try {
                        while (!stop.get()) {
                            long pid = p.fork();
                            Process c = k.syscalls().byPid((int) pid);
                            c.execve("/bin/true", List.of("true"), List.of());
                            long fd = c.open("/tmp/f" + pid, Process.O_CREAT | Process.O_WRONLY, 0644);
                            c.write((int) fd, "x");
                            c.close((int) fd);
                            c.unlink("/tmp/f" + pid);
                            c.exit(0);
                            p.wait4((int) pid);
                            ops.incrementAndGet();
                        }
                    } catch (TaskKilled e) {
                        throw new AssertionError(e);
                    }
                }, "workload-" + w);
                t.start();
                workload.add(t);
            }
            List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                assertEquals(0, loader.insmod(image, ""), k.dmesg());
                loaders.add(new WeakReference<>(loader.find("cycling").classLoader()));
                assertEquals(0, loader.rmmod("cycling", false));
            }
            stop.set(true);
            for (Thread t : workload) {
                t.join();
            }
            assertTrue(ops.get() > 0, "the workload ran");
            assertEquals("", k.read("/sys/kernel/debug/kprobes/list"), "no probe left");
            assertEquals("", k.read("/proc/modules"));
            assertTrue(!k.dmesg().contains("still registered"), "the module unregistered its own probes");
            long alive = loaders.size();
            for (int i = 0; i < 50 && alive > 0; i++) {
                System.gc();
                Thread.sleep(20);
                alive = loaders.stream().filter(r -> r.get() != null).count();
            }
            assertEquals(0, alive, "module class loaders still reachable");
        }
    }
}
