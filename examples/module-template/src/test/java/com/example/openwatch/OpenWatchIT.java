package com.example.openwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.loader.ModuleState;
import dev.ksim.test.KsimTest;
import dev.ksim.test.TestKernel;
import dev.ksim.test.TestModule;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A simulated kernel per test: the module loads as insmod loads it and watches real system calls. */
@KsimTest(cpus = 2)
class OpenWatchIT {

    @Test
    void logsTheOpensOfTheChosenCommand(TestKernel k) {
        TestModule m = k.insmod(OpenWatch.class, "comm=cat");
        assertEquals(ModuleState.LIVE, m.state());
        k.spawn("/bin/cat").cat("/etc/hostname");
        k.exec(p -> p.open("/etc/passwd", 0, 0), "/bin/ls");
        k.dmesg().containsLine("open_watch: watching cat")
                .hasLinesMatching(1, "open_watch: cat\\[\\d+\\] opens /etc/hostname")
                .doesNotContainLineMatching(".* opens /etc/passwd");
        assertEquals(2, k.probe("do_sys_openat2").hits(), "ls opened too, unlogged");
        m.rmmod();
    }

    @Test
    void theBuiltJarLoadsAsModuleOpenWatch(TestKernel k) {
        TestModule m = k.insmod(Path.of("target/open-watch.jar"));
        assertEquals("open_watch", m.name());
        assertEquals("OE", m.taints());
    }
}
