package dev.ksim.samples.mistakes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.sdk.Kernel;
import dev.ksim.test.ProbeState;
import dev.ksim.test.TestKernel;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A handler that calls the function it probes: each nested hit is skipped and counted as missed. */
class RecursiveHandlerTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void theHandlersOwnKfreeIsAMissedHit(Arch arch) {
        try (TestKernel k = TestKernel.boot(BootOptions.defaults().withArch(arch))) {
            k.insmod(RecursiveHandler.class);
            long obj = k.kernel().run(() -> Kernel.kmalloc(32, Kernel.GFP_KERNEL));
            k.kernel().run(() -> k.call("kfree", obj));
            k.kernel().run(() -> k.call("kfree", 0));
            k.kernel().run(() -> k.call("kfree", 0));
            ProbeState kfree = k.probe("kfree");
            assertEquals(3, kfree.hits(), "the outer calls");
            assertEquals(3, kfree.nmissed(), "the handler's own kfree, once per outer call");
            assertEquals(3, kfree.recursion(), "missed because a handler was running on the CPU");
            k.module("recursive_handler").rmmod();

            List<String> lines = k.dmesg().lines();
            int planted = lines.size() - 5;
            assertTrue(lines.get(planted).matches("Planted kprobe at 00000000[0-9a-f]{8}"), lines::toString);
            String self = "init/1 frees ";
            assertEquals(List.of(self + "an object", self + "NULL", self + "NULL"),
                    lines.subList(planted + 1, planted + 4), "the handler ran for the outer calls only");
            assertTrue(lines.get(planted + 4).matches("kprobe at 00000000[0-9a-f]{8} unregistered, 3 nested hits "
                    + "missed"), lines::toString);
        }
    }
}
