package dev.ksim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ksim.kernel.KernelProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeTargetRuleTest extends CheckerTestSupport {

    @Test
    void aSymbolOfAnotherKernelGetsItsNameHere() {
        Diagnostic d = only(check("Fork", kprobeModule("Fork", "_do_fork", "", "")), Rule.PROBE_SYMBOL);
        assertEquals("'_do_fork' is not in /proc/kallsyms of the 6.8 kernel: register_kprobe() returns -ENOENT",
                d.message());
        assertEquals(List.of("did you mean 'kernel_clone'? ('_do_fork' is its name on the 4.14 kernel)"),
                d.notes().stream().map(Diagnostic.Note::message).toList());
    }

    @Test
    void theProfileDecides() {
        assertClean(check(KernelProfile.V4_14, "Fork", kprobeModule("Fork", "_do_fork", "", "")));
        Diagnostic d = only(check(KernelProfile.V4_14, "Open", kprobeModule("Open", "do_sys_openat2", "", "")),
                Rule.PROBE_SYMBOL);
        assertEquals("did you mean 'do_sys_open'?", d.notes().get(0).message());
    }

    @Test
    void aTypoGetsTheClosestName() {
        Diagnostic d = only(check("Typo", kprobeModule("Typo", "kernel_clonee", "", "")), Rule.PROBE_SYMBOL);
        assertEquals("did you mean 'kernel_clone'?", d.notes().get(0).message());
    }

    @Test
    void aFieldsInitialValueIsCheckedAndNamed() {
        CheckReport r = check("Param", """
                @ModuleInfo(license = "GPL")
                public class Param implements KernelModule {
                    @ModuleParam(perm = 0644, desc = "function to probe")
                    public String symbol = "no_such_function_at_all";
                    final Kprobe kp = new Kprobe();
                    public int init() { kp.symbol_name = symbol; return register_kprobe(kp); }
                    public void exit() { unregister_kprobe(kp); }
                }
                """);
        Diagnostic d = only(r, Rule.PROBE_SYMBOL);
        assertEquals(List.of("'no_such_function_at_all' is the initial value of field 'symbol'"),
                d.notes().stream().map(Diagnostic.Note::message).toList());
    }

    @Test
    void blacklistedSymbolsAreErrors() {
        Diagnostic d = only(check("Black", kprobeModule("Black", "do_syscall_64", "", "")), Rule.PROBE_BLACKLISTED);
        assertEquals("'do_syscall_64' is on the kprobe blacklist (/sys/kernel/debug/kprobes/blacklist): "
                + "register_kprobe() returns -EINVAL", d.message());
    }

    @Test
    void probeableSymbolsOfEveryArchitectureAreFine() {
        assertClean(check("Vfs", kprobeModule("Vfs", "vfs_read", "", "")));
        assertClean(check("Arm", kprobeModule("Arm", "__arm64_sys_openat", "", "")));
        assertClean(check("Ctor", """
                @ModuleInfo(license = "GPL")
                public class Ctor implements KernelModule {
                    final Kretprobe rp = new Kretprobe("kernel_clone");
                    public int init() { rp.handler = (ri, regs) -> 0; return register_kretprobe(rp); }
                    public void exit() { unregister_kretprobe(rp); }
                }
                """));
    }
}
