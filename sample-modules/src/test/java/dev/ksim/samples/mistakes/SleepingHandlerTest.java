package dev.ksim.samples.mistakes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.proc.Process;
import dev.ksim.test.TestKernel;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A handler that sleeps: the kernel reports the sleep in atomic context, taints W and goes on. */
class SleepingHandlerTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void msleepInTheHandlerIsABugTheKernelReports(Arch arch) {
        try (TestKernel k = TestKernel.boot(BootOptions.defaults().withArch(arch).deterministic(1))) {
            Process sh = k.shell();
            k.insmod(SleepingHandler.class);
            assertTrue(sh.fork() > 0);
            k.module("sleeping_handler").rmmod();

            List<String> lines = k.dmesg().lines();
            int bug = lines.indexOf("BUG: sleeping function called from invalid context at kernel/time/timer.c:2159");
            assertTrue(bug > 0, lines::toString);
            assertEquals(List.of("sh/" + sh.pid() + " forks",
                    "BUG: sleeping function called from invalid context at kernel/time/timer.c:2159",
                    "in_atomic(): 1, irqs_disabled(): 1, non_block: 0, pid: " + sh.pid() + ", name: sh",
                    "preempt_count: 110000, expected: 0",
                    "RCU nest depth: 0, expected: 0"), lines.subList(bug - 1, bug + 4));
            String trace = String.join("\n", lines.subList(bug + 4, lines.size()));
            assertTrue(trace.indexOf(" msleep+0x") < trace.indexOf(" kernel_clone+0x0/"), trace);
            assertTrue(k.isTainted('W'), "taint W after the report: " + k.taint());
            assertEquals(1, k.dmesg().count("BUG: .*"), "one fork, one report");
        }
    }
}
