package dev.ksim.loader.bpf;

import static dev.ksim.sdk.bpf.Bpf.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelProfile;
import dev.ksim.kernel.SimKernel;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Kernel;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.bpf.BpfArrayMap;
import dev.ksim.sdk.bpf.BpfHashMap;
import dev.ksim.sdk.bpf.BpfRingBuf;
import dev.ksim.sdk.bpf.SEC;
import dev.ksim.sdk.linux.Filename;
import java.util.Map;
import java.util.regex.Pattern;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each of the verifier's rules, one program per rule: rejected with the kernel's message, nothing attached. */
class BpfVerifierTest {
    private final SimKernel k = SimKernel.boot(BootOptions.defaults());

    @AfterEach
    void halt() {
        k.close();
    }

    static class Sleeps {
        @SEC("license") static final String LICENSE = "GPL";

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            Kernel.msleep(10);
            return 0;
        }
    }

    static class ThreadSleeps {
        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) throws InterruptedException {
            Thread.sleep(10);
            return 0;
        }
    }

    static class KernelApi {
        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            Kernel.dump_stack();
            return 0;
        }
    }

    static class UnboundedLoop {
        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx, int dfd) {
            int sum = 0;
            for (int i = 0; i < dfd; i++) {
                sum += i;
            }
            return sum;
        }
    }

    static class InfiniteLoop {
        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            long t = 0;
            while (true) {
                t += bpf_ktime_get_ns();
            }
        }
    }

    static class BoundedLoop {
        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            int sum = 0;
            for (int i = 0; i < 16; i++) {
                sum += i;
            }
            int j = 10;
            do {
                sum += j;
                j -= 2;
            } while (j > 0);
            return sum;
        }
    }

    static class ArrayLoops {
        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            long[] slots = new long[8];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = i;
            }
            long sum = 0;
            for (long v : slots) {
                sum += v;
            }
            return (int) sum;
        }
    }

    static class ParameterBound {
        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx, int dfd) {
            int n = dfd;
            int sum = 0;
            for (int i = 0; i < n; i++) {
                sum += i;
            }
            return sum;
        }
    }

    static class TooManyIterations {
        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            int sum = 0;
            for (int i = 0; i < 1_000_000; i++) {
                sum += i;
            }
            return sum;
        }
    }

    static class VariableArray {
        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx, int dfd) {
            byte[] buf = new byte[dfd];
            return buf.length;
        }
    }

    static class BigArray {
        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            long[] buf = new long[100];
            return buf.length;
        }
    }

    static class Collection {
        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            java.util.List<Long> l = new java.util.ArrayList<>();
            return l.size();
        }
    }

    static class NotGpl {
        @SEC("license") static final String LICENSE = "Proprietary";

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            bpf_printk("hello\n");
            return 0;
        }
    }

    static class DirectRead {
        @SEC("license") static final String LICENSE = "GPL";

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx, int dfd, Filename name) {
            bpf_printk("%s\n", name.name());
            return 0;
        }
    }

    static class WritesContext {
        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            ctx.setReturnValue(0);
            return 0;
        }
    }

    static class Synchronized {
        @SEC("kprobe/do_unlinkat")
        static synchronized int prog(PtRegs ctx) {
            return 0;
        }
    }

    static class HelperOfOwn {
        @SEC("license") static final String LICENSE = "GPL";

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            return twice(bpf_get_smp_processor_id());
        }

        static int twice(int x) {
            Kernel.ssleep(1);
            return 2 * x;
        }
    }

    static class Recursive {
        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx, int dfd) {
            return fact(dfd);
        }

        static int fact(int n) {
            return n <= 1 ? 1 : n * fact(n - 1);
        }
    }

    static class FourArgs {
        @SEC("license") static final String LICENSE = "GPL";

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            bpf_printk("%d %d %d %d\n", 1, 2, 3, 4);
            return 0;
        }
    }

    static class UncheckedLookup {
        @SEC(".maps") static final BpfHashMap<Integer, Long> counts = new BpfHashMap<>(Integer.class, Long.class, 16);

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            Long v = bpf_map_lookup_elem(counts, 0);
            return (int) (v + 1);
        }
    }

    static class CheckedLookup {
        @SEC(".maps") static final BpfHashMap<Integer, Long> counts = new BpfHashMap<>(Integer.class, Long.class, 16);

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            Long v = bpf_map_lookup_elem(counts, 0);
            if (v != null) {
                bpf_map_update_elem(counts, 0, v + 1, BPF_ANY);
            }
            Long w = bpf_map_lookup_elem(counts, 1);
            bpf_map_update_elem(counts, 1, w == null ? 1L : w + 1, BPF_ANY);
            return 0;
        }
    }

    static class EarlyReturn {
        @SEC(".maps") static final BpfHashMap<Integer, Long> counts = new BpfHashMap<>(Integer.class, Long.class, 16);

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            Long v = bpf_map_lookup_elem(counts, 0);
            if (v == null) {
                return 0;
            }
            return (int) v.longValue();
        }
    }

    /** The test is on a copy, the use on the original: both are the same value. */
    static class CheckedCopy {
        @SEC(".maps") static final BpfArrayMap<Long> slots = new BpfArrayMap<>(0L, 4);

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            Long v = bpf_map_lookup_elem(slots, 2);
            Long copy = v;
            if (copy == null) {
                return 1;
            }
            return v.intValue();
        }
    }

    /** Storing, passing to a helper and returning a value that may be null are not dereferences. */
    static class PassedOn {
        @SEC(".maps") static final BpfHashMap<Integer, Long> counts = new BpfHashMap<>(Integer.class, Long.class, 16);

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            Long v = bpf_map_lookup_elem(counts, 0);
            bpf_map_update_elem(counts, 1, v, BPF_ANY);
            return same(v) == null ? 0 : 1;
        }

        static Long same(Long v) {
            return v;
        }
    }

    static class InstanceofPattern {
        @SEC(".maps") static final BpfHashMap<Integer, Long> counts = new BpfHashMap<>(Integer.class, Long.class, 16);

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            Object v = bpf_map_lookup_elem(counts, 0);
            if (v instanceof Long n) {
                return n.intValue();
            }
            return 0;
        }
    }

    /** Checked on one path only: where the paths meet it may still be null. */
    static class CheckedOnOnePath {
        @SEC(".maps") static final BpfHashMap<Integer, Long> counts = new BpfHashMap<>(Integer.class, Long.class, 16);

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx, int dfd) {
            Long v = bpf_map_lookup_elem(counts, 0);
            if (dfd > 0 && v != null) {
                bpf_map_update_elem(counts, 0, v + dfd, BPF_ANY);
            }
            return v.intValue();
        }
    }

    /** Used on the very path where the test found it null. */
    static class UsedWhenNull {
        @SEC(".maps") static final BpfHashMap<Integer, Long> counts = new BpfHashMap<>(Integer.class, Long.class, 16);

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            Long v = bpf_map_lookup_elem(counts, 0);
            if (v == null) {
                return v.intValue();
            }
            return 0;
        }
    }

    static class UncheckedReserve {
        @SEC(".maps") static final BpfRingBuf<Long> rb = new BpfRingBuf<>(Long.class, 4096);

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            BpfRingBuf.Reservation<Long> r = bpf_ringbuf_reserve(rb, 8, 0);
            r.set(bpf_get_current_pid_tgid());
            bpf_ringbuf_submit(r, 0);
            return 0;
        }
    }

    static class CheckedReserve {
        @SEC(".maps") static final BpfRingBuf<Long> rb = new BpfRingBuf<>(Long.class, 4096);

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            BpfRingBuf.Reservation<Long> r = bpf_ringbuf_reserve(rb, 8, 0);
            if (r == null) {
                return 0;
            }
            r.set(bpf_get_current_pid_tgid());
            bpf_ringbuf_submit(r, 0);
            return 0;
        }
    }

    /** A good program first, a bad one second: loading fails and the first is not left attached. */
    static class GoodThenBad {
        @SEC("license") static final String LICENSE = "GPL";

        @SEC("kprobe/vfs_read")
        static int good(PtRegs ctx) {
            return 0;
        }

        @SEC("kprobe/do_unlinkat")
        static int bad(PtRegs ctx) {
            Kernel.msleep(1);
            return 0;
        }
    }

    /** Verifies, then fails to attach its second program: the first is detached again. */
    static class AttachFails {
        @SEC("kprobe/vfs_read")
        static int first(PtRegs ctx) {
            return 0;
        }

        @SEC("kprobe/no_such_function")
        static int second(PtRegs ctx) {
            return 0;
        }
    }

    private BpfLoader.LoadResult load(Class<?> c) {
        return BpfLoader.of(k).load(c.getSimpleName().toLowerCase(), c.getSimpleName(), ClassFiles.of(c));
    }

    private void assertRejected(Class<?> c, String prog, String message) {
        BpfLoader.LoadResult r = load(c);
        assertEquals(-Errno.EINVAL, r.err(), r.log());
        String log = r.log();
        assertTrue(log.startsWith("libbpf: prog '" + prog + "': BPF program load failed: Invalid argument\n"
                + "libbpf: prog '" + prog + "': -- BEGIN PROG LOAD LOG --\n"), log);
        assertTrue(Pattern.compile("(?m)^" + message + "$").matcher(log).find(), log);
        assertTrue(log.endsWith("-- END PROG LOAD LOG --\nlibbpf: prog '" + prog + "': failed to load: -22\n"
                + "libbpf: failed to load object '" + c.getSimpleName().toLowerCase() + "'\n"), log);
        assertTrue(BpfLoader.of(k).objects().isEmpty());
        assertFalse(k.read("/sys/kernel/debug/kprobes/list").contains("do_unlinkat"));
    }

    @Test
    void sleepingKernelCallIsRejected() {
        assertRejected(Sleeps.class, "prog", "helper call might sleep in a non-sleepable prog");
        String log = load(Sleeps.class).log();
        assertTrue(log.contains(": (b8) invokestatic dev/ksim/sdk/Kernel.msleep(I)V\n"), log);
    }

    @Test
    void threadSleepIsRejected() {
        assertRejected(ThreadSleeps.class, "prog", "helper call might sleep in a non-sleepable prog");
    }

    @Test
    void otherKernelApiIsNotAHelper() {
        assertRejected(KernelApi.class, "prog", Pattern.quote("program of this type cannot use helper Kernel.dump_stack#0"));
    }

    @Test
    void loopWithUnprovableBoundIsABackEdge() {
        assertRejected(UnboundedLoop.class, "prog", "back-edge from insn \\d+ to \\d+");
    }

    @Test
    void loopWithoutExitIsInfinite() {
        assertRejected(InfiniteLoop.class, "prog", "infinite loop detected at insn \\d+");
    }

    @Test
    void boundedLoopsAreAccepted() {
        BpfLoader.LoadResult r = load(BoundedLoop.class);
        assertEquals(0, r.err(), r.log());
    }

    @Test
    void loopsOverConstantSizeArraysAreBounded() {
        BpfLoader.LoadResult r = load(ArrayLoops.class);
        assertEquals(0, r.err(), r.log());
    }

    @Test
    void aLocalCopiedFromAnArgumentIsNoBound() {
        assertRejected(ParameterBound.class, "prog", "back-edge from insn \\d+ to \\d+");
    }

    @Test
    void loopBeyondTheComplexityLimitIsTooLarge() {
        assertRejected(TooManyIterations.class, "prog", "BPF program is too large. Processed 1000001 insn");
    }

    @Test
    void arrayOfVariableSizeIsUnbounded() {
        assertRejected(VariableArray.class, "prog",
                Pattern.quote("R1 unbounded memory access, make sure to bounds check any such access"));
    }

    @Test
    void arrayBeyondTheStackIsTooLarge() {
        assertRejected(BigArray.class, "prog", Pattern.quote("combined stack size of 1 calls is 800. Too large"));
    }

    @Test
    void collectionsAreUnknown() {
        assertRejected(Collection.class, "prog", Pattern.quote("unknown func java.util.ArrayList.<init>#0"));
    }

    @Test
    void gplOnlyHelperNeedsAGplLicense() {
        assertRejected(NotGpl.class, "prog", "cannot call GPL-restricted function from non-GPL compatible program");
    }

    @Test
    void kernelMemoryIsReadOnlyThroughCoreRead() {
        assertRejected(DirectRead.class, "prog", "R1 invalid mem access 'scalar'");
    }

    @Test
    void contextIsReadOnly() {
        assertRejected(WritesContext.class, "prog", "invalid bpf_context access off=0 size=8");
    }

    @Test
    void locksAreRejected() {
        assertRejected(Synchronized.class, "prog", "function calls are not allowed while holding a lock");
    }

    @Test
    void ownMethodsAreVerifiedToo() {
        assertRejected(HelperOfOwn.class, "prog", "helper call might sleep in a non-sleepable prog");
    }

    @Test
    void recursionNeverEndsTheCallStack() {
        assertRejected(Recursive.class, "prog", Pattern.quote("the call stack of 9 frames is too deep !"));
    }

    @Test
    void moreThanThreePrintkArgumentsNeedTraceVprintk() {
        assertEquals(0, load(FourArgs.class).err());
        try (SimKernel old = SimKernel.boot(BootOptions.defaults().withProfile(KernelProfile.V5_10))) {
            BpfLoader.LoadResult r = BpfLoader.of(old).load("fourargs", "FourArgs", ClassFiles.of(FourArgs.class));
            assertEquals(-Errno.EINVAL, r.err());
            assertTrue(r.log().contains("\ninvalid func unknown#177\n"), r.log());
        }
    }

    @Test
    void uncheckedLookupIsRejected() {
        assertRejected(UncheckedLookup.class, "prog", Pattern.quote("R0 invalid mem access 'map_value_or_null'"));
        String log = load(UncheckedLookup.class).log();
        assertTrue(Pattern.compile("\\n\\d+: \\(b6\\) invokevirtual java/lang/Long.longValue\\(\\)J\\n"
                + "R0 invalid mem access 'map_value_or_null'\\n").matcher(log).find(), log);
    }

    @Test
    void lookupsCheckedAgainstNullAreAccepted() {
        for (Class<?> c : new Class<?>[] {CheckedLookup.class, EarlyReturn.class, CheckedCopy.class, PassedOn.class,
                InstanceofPattern.class}) {
            BpfLoader.LoadResult r = load(c);
            assertEquals(0, r.err(), c.getSimpleName() + ": " + r.log());
        }
    }

    @Test
    void checkOnOnlyOnePathIsNotEnough() {
        assertRejected(CheckedOnOnePath.class, "prog", Pattern.quote("R0 invalid mem access 'map_value_or_null'"));
    }

    @Test
    void valueFoundNullIsAScalar() {
        assertRejected(UsedWhenNull.class, "prog", Pattern.quote("R0 invalid mem access 'scalar'"));
    }

    @Test
    void uncheckedRingbufReservationIsRejected() {
        assertRejected(UncheckedReserve.class, "prog", Pattern.quote("R0 invalid mem access 'ringbuf_mem_or_null'"));
        assertTrue(load(UncheckedReserve.class).log().contains(
                ": (b6) invokevirtual dev/ksim/sdk/bpf/BpfRingBuf$Reservation.set(Ljava/lang/Object;)V\n"));
        assertEquals(0, load(CheckedReserve.class).err());
    }

    @Test
    void beforeMemRingbufTheReservationIsMemOrNull() {
        try (SimKernel old = SimKernel.boot(BootOptions.defaults().withProfile(KernelProfile.V5_10))) {
            BpfLoader.LoadResult r = BpfLoader.of(old).load("uncheckedreserve", "UncheckedReserve",
                    ClassFiles.of(UncheckedReserve.class));
            assertEquals(-Errno.EINVAL, r.err());
            assertTrue(r.log().contains("\nR0 invalid mem access 'mem_or_null'\n"), r.log());
        }
    }

    @Test
    void rejectionLeavesNothingAttached() {
        assertRejected(GoodThenBad.class, "bad", "helper call might sleep in a non-sleepable prog");
        assertFalse(k.read("/sys/kernel/debug/kprobes/list").contains("vfs_read"));
    }

    @Test
    void attachFailureDetachesWhatWasAttached() {
        BpfLoader.LoadResult r = load(AttachFails.class);
        assertEquals(-Errno.ENOENT, r.err());
        assertEquals("libbpf: prog 'second': failed to create kprobe 'no_such_function+0x0' perf event:"
                + " No such file or directory\nlibbpf: prog 'second': failed to auto-attach: -2\n", r.log());
        assertFalse(k.read("/sys/kernel/debug/kprobes/list").contains("vfs_read"));
        assertTrue(BpfLoader.of(k).objects().isEmpty());
    }

    @Test
    void programBeyondMaxInsnsIsTooBig() {
        BpfLoader.LoadResult r = BpfLoader.of(k).load("big", "Big", Map.of("Big", bigProgram(BpfVerifier.BPF_MAXINSNS)));
        assertEquals(-Errno.E2BIG, r.err(), r.log());
        assertTrue(r.log().contains("libbpf: prog 'prog': failed to load: -7\n"), r.log());
        BpfLoader.LoadResult ok = BpfLoader.of(k).load("small", "Small", Map.of("Small", bigProgram(100)));
        assertEquals(0, ok.err(), ok.log());
    }

    /** A class {@code name} whose kprobe program has about {@code pops} pairs of instructions. */
    private static byte[] bigProgram(int pops) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        String name = pops > 1000 ? "Big" : "Small";
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "prog", "(Ldev/ksim/sdk/PtRegs;)I", null, null);
        AnnotationVisitor av = mv.visitAnnotation("Ldev/ksim/sdk/bpf/SEC;", true);
        av.visit("value", "kprobe/do_unlinkat");
        av.visitEnd();
        mv.visitCode();
        for (int i = 0; i < pops; i++) {
            mv.visitInsn(Opcodes.ICONST_0);
            mv.visitInsn(Opcodes.POP);
        }
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void acceptedProgramLogIsEmpty() {
        assertNull(BpfLoader.of(k).object("boundedloop"));
        BpfLoader.LoadResult r = load(BoundedLoop.class);
        assertEquals("", r.log());
    }
}
