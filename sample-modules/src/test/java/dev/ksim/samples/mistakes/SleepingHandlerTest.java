package dev.ksim.samples.mistakes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.diag.Taint;
import dev.ksim.kernel.proc.Process;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A handler that sleeps: the kernel reports the sleep in atomic context, taints W and goes on. */
class SleepingHandlerTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void msleepInTheHandlerIsABugTheKernelReports(Arch arch) {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withArch(arch).deterministic(1))) {
            Process sh = k.spawn("/bin/sh");
            SleepingHandler m = new SleepingHandler();
            assertEquals(0, k.run(m::init));
            sh.fork();
            k.run(m::exit);
            List<String> lines = k.log().messages().lines().toList();
            int bug = lines.indexOf("BUG: sleeping function called from invalid context at kernel/time/timer.c:2159");
            assertTrue(bug > 0, lines::toString);
            assertEquals(List.of("sh/" + sh.pid() + " forks",
                    "BUG: sleeping function called from invalid context at kernel/time/timer.c:2159",
                    "in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: " + sh.pid() + ", name: sh",
                    "preempt_count: 110000, expected: 0",
                    "RCU nest depth: 0, expected: 0"), lines.subList(bug - 1, bug + 4));
            String trace = String.join("\n", lines.subList(bug + 4, lines.size()));
            assertTrue(trace.indexOf(" msleep+0x") < trace.indexOf(" kernel_clone+0x0/"), trace);
            assertTrue(k.taint().test(Taint.Flag.WARN), "taint W after the report");
            assertEquals(1, lines.stream().filter(l -> l.startsWith("BUG: ")).count(), "one fork, one report");
        }
    }
}
