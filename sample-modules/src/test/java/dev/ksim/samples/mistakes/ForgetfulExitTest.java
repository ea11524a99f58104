package dev.ksim.samples.mistakes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.test.TestKernel;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** An exit that forgets to unregister: after rmmod the loader names the leaked probe and removes it. */
class ForgetfulExitTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void theLeakedProbeIsNamedAtRmmod(Arch arch) {
        try (TestKernel k = TestKernel.boot(BootOptions.defaults().withArch(arch))) {
            k.insmod(ForgetfulExit.class);
            k.shell().fork();
            k.module("forgetful_exit").rmmod();

            String size = arch == Arch.X86_64 ? "0x30" : "0x38";
            List<String> lines = k.dmesg().lines();
            assertEquals(List.of("2 forks seen", "forgetful_exit: kprobe at kernel_clone+0x0/" + size + " still "
                    + "registered after its exit(): ksim unregistered it (a real kernel would call the freed handler "
                    + "on its next hit and crash)"), lines.subList(lines.size() - 2, lines.size()));
            assertEquals(List.of(), k.probes(), "nothing left registered");
            assertEquals("", k.read("/sys/kernel/debug/kprobes/list"), "nothing left armed");
        }
    }
}
