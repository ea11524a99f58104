package dev.ksim.samples.mistakes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.sdk.Kernel;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A handler that calls the function it probes: each nested hit is skipped and counted as missed. */
class RecursiveHandlerTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void theHandlersOwnKfreeIsAMissedHit(Arch arch) {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withArch(arch))) {
            RecursiveHandler m = new RecursiveHandler();
            assertEquals(0, k.run(m::init));
            long obj = k.run(() -> Kernel.kmalloc(32, Kernel.GFP_KERNEL));
            k.run(() -> k.call("kfree", obj));
            k.run(() -> k.call("kfree", 0));
            k.run(() -> k.call("kfree", 0));
            k.run(m::exit);
            List<String> lines = k.log().messages().lines().toList();
            int planted = lines.size() - 5;
            assertTrue(lines.get(planted).matches("Planted kprobe at 00000000[0-9a-f]{8}"), lines::toString);
            String self = "init/1 frees ";
            assertEquals(List.of(self + "an object", self + "NULL", self + "NULL"),
                    lines.subList(planted + 1, planted + 4), "the handler ran for the outer calls only");
            assertTrue(lines.get(planted + 4).matches("kprobe at 00000000[0-9a-f]{8} unregistered, 3 nested hits "
                    + "missed"), lines::toString);
            assertEquals(3, m.kp.nmissed);
        }
    }
}
