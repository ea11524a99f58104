package dev.ksim.kernel.kprobes;

import static dev.ksim.sdk.Errno.EILSEQ;
import static dev.ksim.sdk.Errno.EINVAL;
import static dev.ksim.sdk.Errno.ENOENT;
import static dev.ksim.sdk.Errno.ENOMEM;
import static dev.ksim.sdk.Errno.ENOSYS;
import static dev.ksim.sdk.Errno.EOPNOTSUPP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelTestSupport;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.diag.Taint;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.kernel.text.Symbol;
import dev.ksim.sdk.Kprobe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** register_kprobe's validation: every row of the reference's errno table, on both architectures. */
class RegisterKprobeTest extends KernelTestSupport {



    private int register(String symbol, int offset) {
        Kprobe p = new Kprobe(symbol);
        p.offset = offset;
        return k.register_kprobe(p);
    }

    private int registerAt(long addr) {
        Kprobe p = new Kprobe();
        p.addr = addr;
        return k.register_kprobe(p);
    }


    @ParameterizedTest
    @EnumSource(Arch.class)
    void symbolAndAddressBothOrNeitherAreEinval(Arch arch) {
        boot(arch);
        Kprobe both = new Kprobe("kernel_clone");
        both.addr = addr("kernel_clone");
        assertEquals(-EINVAL, k.register_kprobe(both));
        assertEquals(-EINVAL, k.register_kprobe(new Kprobe()));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void unknownOrMalformedSymbolsAreEnoent(Arch arch) {
        boot(arch);
        assertEquals(-ENOENT, register("no_such_function", 0));
        assertEquals(-ENOENT, register("kernel clone!", 0));
        assertEquals(-ENOENT, register("../../etc/passwd", 0));
        assertEquals(-ENOENT, register("", 0));
        assertEquals(-ENOENT, register("x".repeat(600), 0));
        assertEquals(-ENOENT, register("nosuchmod:kernel_clone", 0));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void addressInsideNoSymbolIsEnoent(Arch arch) {
        boot(arch);
        assertEquals(-ENOENT, registerAt(0x1234));
        assertEquals(-ENOENT, registerAt(arch.directMapBase + 0x1000));
        assertEquals(-ENOENT, register("kernel_clone", -1), "offsets are unsigned, as in C");
        assertEquals(-ENOENT, register("kernel_clone", 0x7fffffff));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void dataSymbolsAreNotTextAndEinval(Arch arch) {
        boot(arch);
        assertEquals(-EINVAL, register("jiffies", 0));
        assertEquals(-EINVAL, register("init_task", 8));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void blacklistedFunctionsAreEinval(Arch arch) {
        boot(arch);
        assertEquals(-EINVAL, register("notifier_call_chain", 0));
        assertEquals(-EINVAL, register("atomic_notifier_call_chain", 0));
        assertEquals(-EINVAL, register("get_kprobe", 0), "kprobes' own code");
        assertEquals(-EINVAL, register("aggr_pre_handler", 0));
        assertEquals(-EINVAL, register("__kretprobe_trampoline", 0), ".kprobes.text");
        if (arch == Arch.X86_64) {
            assertEquals(-EINVAL, register("exc_page_fault", 0), "noinstr");
            assertEquals(-EINVAL, register("do_user_addr_fault", 0));
            assertEquals(-EINVAL, register("entry_SYSCALL_64", 0), "entry text");
            assertEquals(-EINVAL, register("kprobe_int3_handler", 0));
            assertEquals(-EINVAL, register("do_user_addr_fault.cold", 0), "clone of a blacklisted function");
        } else {
            assertEquals(-EINVAL, register("do_page_fault", 0));
            assertEquals(-EINVAL, register("el1_dbg", 0));
            assertEquals(-EINVAL, register("kprobe_breakpoint_handler", 0));
            assertEquals(-EINVAL, register("do_page_fault.cold", 0), "clone of a blacklisted function");
        }
        assertEquals(0, register("kernel_clone", 0));
        assertTrue(k.read("/sys/kernel/debug/kprobes/blacklist").contains("\tnotifier_call_chain\n"));
    }

    @Test
    void x86CfiPaddingBugAndJumpLabelSitesAreEinval() {
        boot(Arch.X86_64);
        assertEquals(-EINVAL, register("__pfx_kernel_clone", 0));
        assertEquals(-EINVAL, register("__pfx_kernel_clone", 4));
        assertEquals(-EINVAL, registerAt(insnAddr("__put_task_struct", "ud2")), "BUG() site");
        assertEquals(-EINVAL, registerAt(insnAddr("security_file_open", "nopl")), "static key site");
        assertEquals(-EINVAL, registerAt(insnAddr("_copy_from_user", "clac")), "alternatives");
    }

    @Test
    void arm64BugSiteAndRejectedInstructionsAreEinval() {
        boot(Arch.ARM64);
        assertEquals(-EINVAL, registerAt(insnAddr("__put_task_struct", "brk")), "BUG() site");
        assertEquals(-EINVAL, registerAt(insnAddr("queued_spin_lock_slowpath", "ldaxr")), "exclusive load");
        assertEquals(-EINVAL, registerAt(insnAddr("_copy_from_user", "ldtrb")), "exception table");
    }

    private long insnAddr(String fn, String mnemonicPrefix) {
        KFunction f = k.function(fn);
        for (int i = 0; i < f.insnCount(); i++) {
            if (f.insn(i).mnemonic().startsWith(mnemonicPrefix)) {
                return f.insnAddress(i);
            }
        }
        throw new AssertionError(fn + " has no " + mnemonicPrefix);
    }

    @Test
    void x86OffInstructionBoundaryIsEilseq() {
        boot(Arch.X86_64);
        assertEquals(0, register("kernel_clone", 1), "push %rbp is one byte: +1 is mov %rsp,%rbp");
        assertEquals(-EILSEQ, register("kernel_clone", 2), "+2 is inside mov %rsp,%rbp");
        assertEquals(-EILSEQ, register("vfs_read", 3));
    }

    @Test
    void arm64MisalignedIsEinval() {
        boot(Arch.ARM64);
        assertEquals(-EINVAL, register("kernel_clone", 2));
        assertEquals(0, register("kernel_clone", 4));
    }

    @Test
    void x86UnsupportedInstructionsAreEopnotsupp() {
        boot(Arch.X86_64);
        assertEquals(-EOPNOTSUPP, registerAt(insnAddr("kgdb_breakpoint", "int3")));
        KFunction f = k.text().coreFunctions().stream().filter(fn -> fn.insnCount() > fn.lastInsn() + 1 && !k.kprobes().isBlacklisted(fn.address()))
                .findFirst().orElseThrow();
        long padding = f.insnAddress(f.insnCount() - 1);
        assertEquals(0xcc, k.text().core().readByte(padding), "functions are padded with int3");
        assertEquals(-EOPNOTSUPP, registerAt(padding));
    }

    @Test
    void exhaustedInstructionSlotsAreEnomem() {
        boot(BootOptions.defaults().withMaxInsnPages(1));
        int registered = 0;
        int ret = 0;
        outer:
        for (KFunction f : k.text().coreFunctions()) {
            for (int i = 0; i <= f.lastInsn(); i++) {
                Kprobe p = new Kprobe();
                p.addr = f.insnAddress(i);
                ret = k.register_kprobe(p);
                if (ret == -ENOMEM) {
                    break outer;
                }
                if (ret == 0) {
                    registered++;
                }
            }
        }
        assertEquals(-ENOMEM, ret);
        assertEquals(4096 / 16, registered, "one page of 16-byte x86 slots");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void reregisteringTheSameStructIsEinvalWithOneWarning(Arch arch) {
        boot(arch);
        Kprobe p = new Kprobe("kernel_clone");
        assertEquals(0, k.register_kprobe(p));
        p.symbol_name = null;
        assertEquals(-EINVAL, k.register_kprobe(p));
        assertEquals(-EINVAL, k.register_kprobe(p));
        String log = k.log().messages();
        assertTrue(log.contains("WARNING: CPU: 0 PID: 0 at kernel/kprobes.c:1597 register_kprobe+0x"), log);
        assertEquals(1, log.split("cut here", -1).length - 1, "WARN_ON_ONCE warns once");
        assertTrue(k.taint().test(Taint.Flag.WARN));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void resolvedAddressIsWrittenBackAndSurvivesUnregister(Arch arch) {
        boot(arch);
        Kprobe p = new Kprobe("vfs_read");
        p.flags = Kprobe.KPROBE_FLAG_GONE | Kprobe.KPROBE_FLAG_OPTIMIZED;
        p.nmissed = 42;
        assertEquals(0, k.register_kprobe(p));
        assertEquals(addr("vfs_read"), p.addr);
        assertEquals(Kprobe.KPROBE_FLAG_ON_FUNC_ENTRY, p.flags, "only DISABLED may be passed in");
        assertEquals(0, p.nmissed);
        k.unregister_kprobe(p);
        assertEquals(addr("vfs_read"), p.addr);
        k.unregister_kprobe(p);
        assertEquals(0, p.addr, "unregistering an unregistered probe clears addr silently");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void failedRegistrationStillWritesAddrBack(Arch arch) {
        boot(arch);
        Kprobe p = new Kprobe("notifier_call_chain");
        assertEquals(-EINVAL, k.register_kprobe(p));
        assertEquals(addr("notifier_call_chain"), p.addr);
        assertEquals(-EINVAL, k.register_kprobe(p), "symbol and addr are now both set");
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void batchRegistrationIsAllOrNothing(Arch arch) {
        boot(arch);
        assertEquals(-EINVAL, k.register_kprobes(new Kprobe[0], 0));
        assertEquals(-EINVAL, k.register_kprobes(new Kprobe[] {new Kprobe("vfs_read")}, -1));
        Kprobe a = new Kprobe("vfs_read");
        Kprobe b = new Kprobe("vfs_write");
        Kprobe bad = new Kprobe("no_such_symbol");
        assertEquals(-ENOENT, k.register_kprobes(new Kprobe[] {a, b, bad}, 3));
        assertEquals("", k.read("/sys/kernel/debug/kprobes/list"), "the first two were rolled back");
        assertFalse(armed("vfs_read"));
        a.addr = 0;
        b.addr = 0;
        a.flags = 0;
        b.flags = 0;
        assertEquals(0, k.register_kprobes(new Kprobe[] {a, b}, 2));
        assertTrue(armed("vfs_read"));
        assertTrue(armed("vfs_write"));
    }

    private boolean armed(String fn) {
        long a = addr(fn);
        return k.arch() == Arch.X86_64 ? k.text().core().readByte(a) == 0xcc
                : k.text().core().readWord(a) == Arch.BRK64_OPCODE_KPROBES;
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void enableAndDisableNeedARegisteredProbe(Arch arch) {
        boot(arch);
        Kprobe p = new Kprobe("vfs_read");
        assertEquals(-EINVAL, k.enable_kprobe(p));
        assertEquals(-EINVAL, k.disable_kprobe(p));
        assertEquals(-EINVAL, k.enable_kprobe(null));
        assertEquals(0, k.register_kprobe(p));
        assertEquals(0, k.disable_kprobe(p));
        assertEquals(0, k.disable_kprobe(p), "already disabled is fine");
        assertFalse(armed("vfs_read"));
        assertTrue(k.read("/sys/kernel/debug/kprobes/list").contains("[DISABLED]"));
        assertEquals(0, k.enable_kprobe(p));
        assertTrue(armed("vfs_read"));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void registeringDisabledDoesNotArm(Arch arch) {
        boot(arch);
        Kprobe p = new Kprobe("vfs_write");
        p.flags = Kprobe.KPROBE_FLAG_DISABLED;
        assertEquals(0, k.register_kprobe(p));
        assertFalse(armed("vfs_write"));
        assertEquals(0, k.enable_kprobe(p));
        assertTrue(armed("vfs_write"));
    }

    @Test
    void nullStructIsEinvalNotAnException() {
        boot(Arch.X86_64);
        assertEquals(-EINVAL, k.register_kprobe(null));
        assertEquals(-EINVAL, k.register_kprobes(null, 1));
        assertEquals(-EINVAL, k.register_kprobes(new Kprobe[] {null}, 1));
        k.unregister_kprobe(null);
        k.unregister_kprobes(null, 3);
        k.unregister_kprobes(new Kprobe[] {null, null}, 2);
    }

    @Test
    void kernelWithoutKprobesReturnsEnosys() {
        boot(BootOptions.defaults().withKprobes(false));
        assertEquals(-ENOSYS, k.register_kprobe(new Kprobe("vfs_read")));
        assertEquals(-ENOSYS, k.register_kprobes(new Kprobe[] {new Kprobe("vfs_read")}, 1));
        assertEquals(-ENOSYS, k.enable_kprobe(new Kprobe("vfs_read")));
        assertEquals(-ENOSYS, k.disable_kprobe(new Kprobe("vfs_read")));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void opcodeHoldsTheReplacedInstruction(Arch arch) {
        boot(arch);
        Kprobe p = new Kprobe("kernel_clone");
        assertEquals(0, k.register_kprobe(p));
        Symbol s = k.text().lookupName("kernel_clone");
        if (arch == Arch.X86_64) {
            assertEquals(0x55, p.opcode, "push %rbp");
            assertEquals(0xcc, k.text().core().readByte(s.address()));
        } else {
            assertEquals(0xa9, p.opcode >>> 24, "stp x29, x30, [sp, #-N]!");
            assertEquals(Arch.BRK64_OPCODE_KPROBES, k.text().core().readWord(s.address()));
        }
        k.unregister_kprobe(p);
        if (arch == Arch.X86_64) {
            assertEquals(0x55, k.text().core().readByte(s.address()));
        } else {
            assertEquals(p.opcode, k.text().core().readWord(s.address()));
        }
        assertNotEquals(0, p.addr);
    }
}
