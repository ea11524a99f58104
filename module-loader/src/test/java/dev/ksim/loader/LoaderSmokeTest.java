package dev.ksim.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.loader.fixtures.HelloProbe;
import dev.ksim.loader.image.ModuleFiles;
import org.junit.jupiter.api.Test;

class LoaderSmokeTest {
    @Test
    void loadsRunsAndUnloads() throws Exception {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withCpus(2))) {
            ModuleLoader l = ModuleLoader.attach(k, LoaderOptions.defaults().withMirrorToSlf4j(false));
            var sh = k.spawn("/bin/sh");
            int r = l.insmod(ModuleFiles.ofClass(HelloProbe.class), "");
            System.out.println(k.dmesg());
            assertEquals(0, r);
            sh.fork();
            System.out.println(k.read("/proc/modules"));
            System.out.println(k.read("/sys/kernel/debug/kprobes/list"));
            System.out.println(k.read("/sys/module/hello_probe/parameters/hits"));
            assertEquals(0, l.rmmod("hello_probe", false));
            System.out.println(k.dmesg());
            assertTrue(k.dmesg().contains("hello_probe: hit kernel_clone"));
        }
    }
}
