package dev.ksim.test.ktap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class KtapListenerTest {

    /** Run only by the test below (surefire skips nested classes). */
    static class Fixture {
        @Test
        void passes() {
        }

        @Test
        void fails() {
            Assertions.fail("expected: <0> but was: <-22>\nsecond line");
        }

        @Test
        @Disabled("no jprobes on 6.8")
        void skipped() {
        }

        @ParameterizedTest
        @ValueSource(strings = {"x86_64", "arm64"})
        void onEachArch(String arch) {
        }
    }

    @Test
    void writesTheRunAsKtap(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("results.ktap");
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Fixture.class)).build();
        LauncherFactory.create().execute(request, new KtapListener(out));
        assertEquals("""
                KTAP version 1
                1..1
                    KTAP version 1
                    # Subtest: dev.ksim.test.ktap.KtapListenerTest$Fixture
                    1..5
                    ok 1 passes
                    not ok 2 fails
                    # expected: <0> but was: <-22>
                    # second line
                    ok 3 onEachArch [1] x86_64
                    ok 4 onEachArch [2] arm64
                    ok 5 skipped # SKIP no jprobes on 6.8
                not ok 1 dev.ksim.test.ktap.KtapListenerTest$Fixture
                """, Files.readString(out));
    }

    @Test
    void writesNothingWithoutTheProperty(@TempDir Path tmp) {
        KtapListener quiet = new KtapListener((Path) null);
        quiet.testPlanExecutionFinished(null);
        assertEquals("KTAP version 1\n1..0\n", quiet.render());
    }
}
