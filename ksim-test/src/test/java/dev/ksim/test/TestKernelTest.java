package dev.ksim.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.KernelProfile;
import dev.ksim.kernel.proc.Process;
import dev.ksim.loader.ModuleState;
import dev.ksim.sdk.Errno;
import dev.ksim.test.fixtures.ForkCounter;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@KsimTest(cpus = 2)
class TestKernelTest {
    /** The kernel of {@link #bootsTheKernelTheAnnotationDescribes}, checked after the class. */
    private static final AtomicReference<TestKernel> PER_TEST = new AtomicReference<>();

    @AfterAll
    static void eachTestsKernelWasHaltedAfterItsTest() {
        assertTrue(PER_TEST.get().kernel().isClosed());
    }

    @Test
    void bootsTheKernelTheAnnotationDescribes(TestKernel k) {
        PER_TEST.set(k);
        assertEquals(2, k.kernel().cpus().size());
        assertEquals(Arch.X86_64, k.kernel().arch());
        assertEquals("Not tainted", k.taint());
    }

    @Test
    @KsimTest(arch = Arch.ARM64, kernel = KernelProfile.V4_14, cpus = 1)
    void aMethodsAnnotationOverridesTheClasss(TestKernel k) {
        assertEquals(Arch.ARM64, k.kernel().arch());
        assertEquals(KernelProfile.V4_14, k.kernel().profile());
        assertEquals(1, k.kernel().cpus().size());
    }

    @Test
    void insmodGoesThroughTheLoader(TestKernel k) {
        k.shell(); // init forks the shell before the probe is planted
        TestModule m = k.insmod(ForkCounter.class, "symbol=kernel_clone");
        assertEquals("fork_counter", m.name());
        assertEquals(ModuleState.LIVE, m.state());
        assertEquals("OE", m.taints());
        assertTrue(k.isTainted('O') && k.isTainted('E'), k.taint());
        assertEquals("kernel_clone", m.param("symbol"));
        k.dmesg().containsLine("fork_counter: loading out-of-tree module taints kernel.");

        long pid = k.exec("/usr/bin/true");
        assertTrue(pid > 0, () -> "pid " + pid);
        k.dmesg().hasLinesMatching(1, "fork_counter: kernel_clone by sh\\[\\d+\\]");
        ProbeState p = k.probe("kernel_clone");
        assertEquals('k', p.type());
        assertEquals(1, p.hits());
        assertEquals(0, p.nmissed());

        m.rmmod();
        assertTrue(k.probes().isEmpty());
        assertEquals(-Errno.ENOENT, k.rmmod("fork_counter"));
    }

    @Test
    void aFailedLoadFailsTheTestWithTheErrnoAndTheLog(TestKernel k) {
        AssertionError e = assertThrows(AssertionError.class,
                () -> k.insmod(ForkCounter.class, "symbol=no_such_function"));
        assertTrue(e.getMessage().startsWith(
                "insmod: ERROR: could not insert module fork_counter: No such file or directory (ENOENT)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("fork_counter: register_kprobe failed, returned -2"), e.getMessage());
        assertEquals(-Errno.EINVAL, k.tryInsmod(ForkCounter.class, "symbol=notifier_call_chain"));
    }

    @Test
    void startRunsInitWithoutTheLoader(TestKernel k) {
        ForkCounter m = new ForkCounter();
        m.symbol = "do_unlinkat";
        assertEquals(0, k.start(m));
        assertEquals("Not tainted", k.taint(), "no module was loaded");
        k.exec(p -> p.unlink("/tmp/none"), "/bin/rm", "/tmp/none");
        k.dmesg().containsLineMatching("fork_counter: do_unlinkat by rm\\[\\d+\\]");
        k.stop(m);
        assertTrue(k.probes().isEmpty());
    }

    @Test
    void clearDmesgHidesWhatWasLoggedBefore(TestKernel k) {
        k.insmod(ForkCounter.class);
        k.clearDmesg();
        k.dmesg().hasLinesMatching(0, ".*");
        k.shell().fork();
        k.dmesg().hasLinesMatching(1, "fork_counter: kernel_clone by sh\\[\\d+\\]");
    }

    @Test
    void concurrentlyRunsOneProcessPerCpu(TestKernel k) {
        k.insmod(ForkCounter.class, "symbol=do_unlinkat");
        k.concurrently(2, p -> p.unlink("/tmp/missing"));
        assertEquals(2, k.probe("do_unlinkat").hits());
        assertThrows(IllegalArgumentException.class, () -> k.concurrently(3, p -> { }));
    }

    @Test
    void callRunsAKernelFunction(TestKernel k) {
        k.insmod(ForkCounter.class, "symbol=vfs_read");
        k.call("vfs_read", 0, 0, 0, 0);
        assertEquals(1, k.probe("vfs_read").hits());
        k.dmesg().containsLine("fork_counter: vfs_read by init[1]");
    }

    @Nested
    @KsimTest(lifecycle = KsimTest.Lifecycle.PER_CLASS)
    class SharedKernel {
        private static final AtomicReference<TestKernel> FIRST = new AtomicReference<>();

        @Test
        void one(TestKernel k) {
            assertSameKernel(k);
        }

        @Test
        void two(TestKernel k) {
            assertSameKernel(k);
        }

        private void assertSameKernel(TestKernel k) {
            FIRST.compareAndSet(null, k);
            assertSame(FIRST.get(), k);
            assertEquals(4, k.kernel().cpus().size());
        }
    }

    @Test
    void spawnStartsAProgram(TestKernel k) {
        Process p = k.spawn("/bin/sleep", "1");
        assertEquals("sleep", p.comm());
    }
}
