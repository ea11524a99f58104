package dev.ksim.loader.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.bpf.BpfRingBuf;
import dev.ksim.sdk.bpf.SEC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What libbpf says of objects it cannot open or load, before the verifier runs. */
class BpfObjectErrorsTest {
    private final SimKernel k = SimKernel.boot(BootOptions.defaults());

    @AfterEach
    void halt() {
        k.close();
    }

    static class UnknownSection {
        @SEC("tracepoint/syscalls/sys_enter_unlinkat")
        static int prog(PtRegs ctx) {
            return 0;
        }
    }

    static class NotStatic {
        @SEC("kprobe/do_unlinkat")
        int prog(PtRegs ctx) {
            return 0;
        }
    }

    static class NoContext {
        @SEC("kprobe/do_unlinkat")
        static int prog(int dfd) {
            return dfd;
        }
    }

    static class RetprobeOffset {
        @SEC("kretprobe/do_unlinkat+0x4")
        static int prog(PtRegs ctx, long ret) {
            return 0;
        }
    }

    static class BadRingBuf {
        @SEC(".maps") static final BpfRingBuf<Long> rb = new BpfRingBuf<>(Long.class, 1000);

        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            return 0;
        }
    }

    static class NoPrograms {
        static int helper(int x) {
            return x;
        }
    }

    static class Blacklisted {
        @SEC("kprobe/notifier_call_chain")
        static int prog(PtRegs ctx) {
            return 0;
        }
    }

    static class Fine {
        @SEC("kprobe/do_unlinkat")
        static int prog(PtRegs ctx) {
            return 0;
        }
    }

    private BpfLoader.LoadResult load(Class<?> c) {
        return BpfLoader.of(k).load(c.getSimpleName(), c.getSimpleName(), ClassFiles.of(c));
    }

    @Test
    void unknownSectionHasNoProgramType() {
        BpfLoader.LoadResult r = load(UnknownSection.class);
        assertEquals(-Errno.EINVAL, r.err());
        assertEquals("libbpf: prog 'prog': missing BPF prog type, check ELF section name"
                + " 'tracepoint/syscalls/sys_enter_unlinkat'\nlibbpf: failed to load object 'UnknownSection'\n", r.log());
    }

    @Test
    void programsAreStaticAndTakeTheContextFirst() {
        assertEquals("libbpf: prog 'prog': program must be a static method\n"
                + "libbpf: failed to load object 'NotStatic'\n", load(NotStatic.class).log());
        assertEquals("libbpf: prog 'prog': the first parameter must be the context, PtRegs ctx\n"
                + "libbpf: failed to load object 'NoContext'\n", load(NoContext.class).log());
        assertEquals("libbpf: prog 'prog': invalid format of section definition 'kretprobe/do_unlinkat+0x4'\n"
                + "libbpf: failed to load object 'RetprobeOffset'\n", load(RetprobeOffset.class).log());
    }

    @Test
    void ringBufferSizeMustBeAPowerOfTwoOfPages() {
        BpfLoader.LoadResult r = load(BadRingBuf.class);
        assertEquals(-Errno.EINVAL, r.err());
        assertEquals("libbpf: map 'rb': failed to create: Invalid argument(-22)\n"
                + "libbpf: failed to load object 'BadRingBuf'\n", r.log());
        assertEquals("", k.read("/sys/kernel/debug/kprobes/list"));
    }

    @Test
    void theKprobeBlacklistApplies() {
        BpfLoader.LoadResult r = load(Blacklisted.class);
        assertEquals(-Errno.EINVAL, r.err());
        assertEquals("libbpf: prog 'prog': failed to create kprobe 'notifier_call_chain+0x0' perf event:"
                + " Invalid argument\nlibbpf: prog 'prog': failed to auto-attach: -22\n", r.log());
    }

    @Test
    void anObjectNeedsAProgram() {
        BpfLoader.LoadResult r = load(NoPrograms.class);
        assertEquals(-Errno.ENOENT, r.err());
    }

    @Test
    void anObjectLoadsOnce() {
        assertEquals(0, load(Fine.class).err());
        BpfLoader.LoadResult again = load(Fine.class);
        assertEquals(-Errno.EEXIST, again.err());
        assertEquals("libbpf: object 'Fine' is already loaded\n", again.log());
        assertEquals(0, BpfLoader.of(k).unload("Fine"));
        assertEquals(-Errno.ENOENT, BpfLoader.of(k).unload("Fine"));
        assertEquals(0, load(Fine.class).err());
    }
}
