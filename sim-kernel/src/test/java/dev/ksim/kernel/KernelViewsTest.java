package dev.ksim.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kprobes;
import dev.ksim.sdk.Printk;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What users look at: disassembly before and after a breakpoint, stack traces, several kernels. */
class KernelViewsTest extends KernelTestSupport {

    @ParameterizedTest
    @EnumSource(Arch.class)
    void devNullTakesEveryWriteAndReadsEmpty(Arch arch) {
        boot(arch);
        Process sh = k.spawn("/bin/sh");
        long fd = sh.open("/dev/null", Process.O_WRONLY | Process.O_CREAT | Process.O_TRUNC, 0644);
        assertTrue(fd >= 0, "open: " + fd);
        assertEquals(6, sh.write((int) fd, "hello\n"));
        assertEquals(0, sh.close((int) fd));
        assertEquals("", k.read("/dev/null"));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void disassemblyShowsTheBreakpointAndTheReplacedInstruction(Arch arch) {
        boot(arch);
        String before = k.disassemble("kernel_clone");
        long a = addr("kernel_clone");
        if (arch == Arch.X86_64) {
            assertTrue(before.startsWith(String.format("%016x <kernel_clone>:%n", a).replace("\r", "")), before);
            assertTrue(before.contains(String.format("%16x:\t55                   \tpush   %%rbp%n", a).replace("\r", "")),
                    before);
            assertTrue(before.contains("\te8 "), "calls are real rel32 calls");
        } else {
            assertTrue(before.contains("\tstp    x29, x30, [sp, #-"), before);
            assertTrue(before.contains("\tbl     copy_process"), before);
        }
        Kprobe p = new Kprobe("kernel_clone");
        k.register_kprobe(p);
        assertEquals(0, k.write("/sys/kernel/debug/ksim/disassemble", "kernel_clone\n"));
        String after = k.read("/sys/kernel/debug/ksim/disassemble");
        assertTrue(after.contains(arch == Arch.X86_64 ? "\tcc                   \tint3" : "\td4200080             \tbrk    #0x4"),
                after);
        assertTrue(after.contains("; kprobe, replaced: " + (arch == Arch.X86_64 ? "push   %rbp" : "stp    x29, x30")));
        k.unregister_kprobe(p);
        assertEquals(before, k.disassemble("kernel_clone"));
        assertEquals(-2, k.write("/sys/kernel/debug/ksim/disassemble", "no_such_fn"));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void stackTracesShowTheRealCallChain(Arch arch) {
        boot(arch);
        Process sh = k.spawn("/bin/sh");
        StringBuilder trace = new StringBuilder();
        Kprobe p = new Kprobe("copy_process");
        p.pre_handler = (kp, regs) -> {
            for (long ret : k.diagnostics().stackTrace(Cpu.current())) {
                trace.append(k.diagnostics().symbolize(ret)).append('\n');
            }
            return 0;
        };
        k.register_kprobe(p);
        sh.fork();
        String t = trace.toString();
        String[] chain = arch == Arch.X86_64
                ? new String[] {"kprobe_int3_handler+0x", "copy_process+0x0/0x", "kernel_clone+0x", "__x64_sys_fork+0x",
                    "do_syscall_64+0x", "entry_SYSCALL_64+0x"}
                : new String[] {"kprobe_breakpoint_handler+0x", "copy_process+0x0/0x", "kernel_clone+0x",
                    "__arm64_sys_clone+0x", "invoke_syscall+0x", "el0_svc+0x", "el0t_64_sync_handler+0x",
                    "el0t_64_sync+0x"};
        int at = -1;
        for (String frame : chain) {
            int next = t.indexOf(frame, at + 1);
            assertTrue(next > at, frame + " missing or out of order in\n" + t);
            at = next;
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void kernelsInOneJvmDoNotInterfere(Arch arch) {
        boot(arch);
        try (SimKernel other = SimKernel.boot(BootOptions.defaults().withArch(Arch.X86_64).withCpus(1))) {
            AtomicInteger hits = new AtomicInteger();
            Kprobe p = new Kprobe("vfs_mkdir");
            p.pre_handler = (kp, regs) -> {
                hits.incrementAndGet();
                Printk.pr_info("hit in the first kernel\n");
                return 0;
            };
            assertEquals(0, k.register_kprobe(p));
            other.call("vfs_mkdir", 0, 0, 0, 0);
            assertEquals(0, hits.get());
            k.call("vfs_mkdir", 0, 0, 0, 0);
            assertEquals(1, hits.get());
            assertTrue(k.log().messages().contains("hit in the first kernel"));
            assertTrue(!other.log().messages().contains("hit in the first kernel"));
            assertEquals("", other.read("/sys/kernel/debug/kprobes/list"));
            assertEquals(0, other.run(() -> Kprobes.register_kprobe(new Kprobe("vfs_mkdir"))),
                    "code run on a kernel talks to that kernel");
            assertEquals(1, other.read("/sys/kernel/debug/kprobes/list").lines().count());
            assertEquals(1, k.read("/sys/kernel/debug/kprobes/list").lines().count());
        }
    }
}
