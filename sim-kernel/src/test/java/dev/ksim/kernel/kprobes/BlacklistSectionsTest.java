package dev.ksim.kernel.kprobes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.image.ImageCatalog;
import dev.ksim.kernel.text.FunctionDef;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The blacklist a profile's function list predicts is the one the booted kernel lists in debugfs. */
class BlacklistSectionsTest {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void predictsTheBootedKernelsBlacklist(Arch arch) {
        Set<String> predicted = new TreeSet<>();
        for (FunctionDef d : ImageCatalog.functions(arch)) {
            if (BlacklistSections.blacklisted(d)) {
                predicted.add(d.name());
            }
        }
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withArch(arch))) {
            Set<String> listed = new TreeSet<>();
            for (String line : k.read("/sys/kernel/debug/kprobes/blacklist").split("\n")) {
                listed.add(line.substring(line.indexOf('\t') + 1).trim());
            }
            assertEquals(listed, predicted);
        }
    }
}
