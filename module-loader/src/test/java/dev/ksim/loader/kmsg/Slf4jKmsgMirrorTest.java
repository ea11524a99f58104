package dev.ksim.loader.kmsg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.loader.LoaderOptions;
import dev.ksim.loader.ModuleLoader;
import dev.ksim.loader.fixtures.HelloProbe;
import dev.ksim.loader.image.ModuleFiles;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** The kernel log mirrored to SLF4J: one logger per module, syslog levels mapped. */
class Slf4jKmsgMirrorTest {
    @Test
    void levelsMapAsSyslogMapsThem() {
        assertEquals(List.of(Level.ERROR, Level.ERROR, Level.ERROR, Level.ERROR, Level.WARN, Level.INFO, Level.INFO,
                Level.DEBUG), java.util.stream.IntStream.range(0, 8).mapToObj(Slf4jKmsgMirror::level).toList());
    }

    @Test
    void recordsGoToTheLoggerOfTheModuleThatPrintedThem() throws Exception {
        CapturingSlf4j.EVENTS.clear();
        CapturingSlf4j.KEY_VALUES.clear();
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withCpus(2))) {
            ModuleLoader l = ModuleLoader.attach(k, LoaderOptions.defaults());
            assertEquals(0, l.insmod(ModuleFiles.ofClass(HelloProbe.class), ""));
            Thread t = new Thread(() -> k.spawn("/bin/sh"));
            t.start();
            t.join();
            assertEquals(0, l.rmmod("hello_probe", false));
        }
        List<String> events = CapturingSlf4j.EVENTS;
        assertTrue(events.contains("ksim.kmsg.kernel INFO Linux version 6.8.0-ksim (ksim@ksim) (javac 17) #1 SMP "
                + "PREEMPT_DYNAMIC"), events.toString());
        assertTrue(events.contains("ksim.kmsg.kernel WARN hello_probe: loading out-of-tree module taints kernel."),
                events.toString());
        assertTrue(events.contains("ksim.kmsg.hello_probe INFO hello_probe: planted at kernel_clone+0x0/0x30"),
                events.toString());
        assertTrue(events.contains("ksim.kmsg.hello_probe INFO hello_probe: hit kernel_clone"), events.toString());
        assertTrue(events.contains("ksim.kmsg.hello_probe INFO hello_probe: bye after 1 hits"), events.toString());
        assertEquals("seq=0 prio=5 caller=T0", CapturingSlf4j.KEY_VALUES.get(0));
    }
}
