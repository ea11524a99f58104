package dev.ksim.samples.mistakes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.loader.ModuleLoader;
import dev.ksim.loader.image.ModuleFiles;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** An exit that forgets to unregister: after rmmod the loader names the leaked probe and removes it. */
class ForgetfulExitTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void theLeakedProbeIsNamedAtRmmod(Arch arch) throws Exception {
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withArch(arch))) {
            ModuleLoader loader = ModuleLoader.of(k);
            assertEquals(0, loader.insmod(ModuleFiles.ofClass(ForgetfulExit.class), ""));
            k.spawn("/bin/sh").fork();
            assertEquals(0, loader.rmmod("forgetful_exit", false));
            String size = arch == Arch.X86_64 ? "0x30" : "0x38";
            List<String> lines = k.log().messages().lines().toList();
            assertEquals(List.of("2 forks seen", "forgetful_exit: kprobe at kernel_clone+0x0/" + size + " still "
                    + "registered after its exit(): ksim unregistered it (a real kernel would call the freed handler "
                    + "on its next hit and crash)"), lines.subList(lines.size() - 2, lines.size()));
            assertEquals("", k.read("/sys/kernel/debug/kprobes/list"), "nothing left armed");
        }
    }
}
