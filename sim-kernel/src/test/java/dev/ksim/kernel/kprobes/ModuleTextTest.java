package dev.ksim.kernel.kprobes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.KernelTestSupport;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.text.FnAttr;
import dev.ksim.kernel.text.FunctionDef;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.kernel.text.ModuleText;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Kprobe;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Functions of loaded modules are probe-able text, as the kernel's self-test relies on. */
class ModuleTextTest extends KernelTestSupport {


    private ModuleText load(String name) {
        ModuleText mt = k.text().loadModule(name, List.of(
                new FunctionDef("kprobe_target", 1, List.of(), 0, Set.of()),
                new FunctionDef("kprobe_recursed_target", 1, List.of(), 0, Set.of()),
                new FunctionDef("handler_pre", 2, List.of(), 0, Set.of(FnAttr.NOKPROBE)),
                new FunctionDef("test_kprobes_init", 0, List.of("kprobe_target"), 0, Set.of(FnAttr.INIT_TEXT))));
        k.kprobes().moduleComing(mt);
        return mt;
    }

    /** A module as its author writes it: handlers marked like NOKPROBE_SYMBOL. */
    public static final class SampleModule {
        public long kprobe_target(long v) {
            return v / 3;
        }

        @dev.ksim.sdk.NoKprobe
        public int handler_pre(Kprobe p, dev.ksim.sdk.PtRegs regs) {
            return 0;
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void noKprobeOnAModuleMethodBlacklistsIt(Arch arch) {
        boot(arch);
        ModuleText mt = k.text().loadModule("sample", dev.ksim.kernel.text.ModuleFunctions.describe(
                List.of(SampleModule.class)));
        k.kprobes().moduleComing(mt);
        assertEquals(0, k.register_kprobe(new Kprobe("kprobe_target")));
        assertEquals(-Errno.EINVAL, k.register_kprobe(new Kprobe("handler_pre")));
        assertTrue(k.read("/sys/kernel/debug/kprobes/blacklist").contains("\thandler_pre [sample]\n"));
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void moduleFunctionsAreProbedLikeKernelText(Arch arch) {
        boot(BootOptions.defaults().withArch(arch).withCpus(2));
        ModuleText mt = load("test_kprobes");
        KFunction target = mt.functions.get("kprobe_target");
        target.bind(cpu -> cpu.arg(0) / 3);
        String ks = k.read("/proc/kallsyms");
        assertTrue(ks.contains(String.format("%016x t kprobe_target\t[test_kprobes]%n", target.address())
                .replace("\r", "")), ks);

        AtomicInteger hits = new AtomicInteger();
        Kprobe p = new Kprobe("kprobe_target");
        p.pre_handler = (kp, regs) -> hits.incrementAndGet() * 0;
        assertEquals(0, k.register_kprobe(p));
        assertEquals(target.address(), p.addr);
        assertEquals(7, k.call("kprobe_target", 21));
        assertEquals(1, hits.get());
        assertEquals(-Errno.EINVAL, k.register_kprobe(new Kprobe("handler_pre")), "NOKPROBE in a module");
        assertEquals(0, k.register_kprobe(new Kprobe("test_kprobes:kprobe_recursed_target")), "module:symbol");
        assertTrue(k.read("/sys/kernel/debug/kprobes/list").contains("kprobe_target+0x0  test_kprobes \n"));
        assertTrue(k.read("/sys/kernel/debug/kprobes/blacklist").contains("\thandler_pre [test_kprobes]\n"));

        mt.setState(ModuleText.State.LIVE);
        k.kprobes().moduleLive(mt);
        assertEquals(-Errno.ENOENT, k.register_kprobe(new Kprobe("test_kprobes_init")), "init text is freed");

        mt.setState(ModuleText.State.GOING);
        assertEquals(-Errno.ENOENT, k.register_kprobe(new Kprobe("kprobe_recursed_target")), "module going away");
        k.kprobes().moduleGoing(mt);
        k.text().unloadModule(mt);
        assertTrue(k.read("/sys/kernel/debug/kprobes/list").contains("[GONE]"));
        assertTrue((p.flags & Kprobe.KPROBE_FLAG_GONE) != 0);
        assertEquals(-Errno.EINVAL, k.enable_kprobe(p), "a gone probe cannot be enabled");
        assertTrue(!k.read("/proc/kallsyms").contains("[test_kprobes]"));
        assertTrue(!k.read("/sys/kernel/debug/kprobes/blacklist").contains("test_kprobes"));
        k.unregister_kprobe(p);
        assertTrue(!k.read("/sys/kernel/debug/kprobes/list").contains("kprobe_target"));
    }

    /** What weaving generates around a module method's body. */
    private static long wovenKprobeTarget(KFunction f, long v) {
        dev.ksim.kernel.cpu.Cpu cpu = dev.ksim.kernel.cpu.Cpu.current();
        if (cpu.enterWoven(f, v)) {
            return cpu.exitWoven(f, 0);
        }
        long result = v / 3;
        return cpu.exitWoven(f, result);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void wovenModuleMethodsAreProbeSitesThatHandlersCanRedirect(Arch arch) {
        boot(arch);
        ModuleText mt = load("woven");
        KFunction target = mt.functions.get("kprobe_target");
        AtomicInteger hits = new AtomicInteger();
        Kprobe p = new Kprobe("woven:kprobe_target");
        p.pre_handler = (kp, regs) -> {
            hits.incrementAndGet();
            return 0;
        };
        Kprobe atRet = new Kprobe();
        atRet.addr = target.insnAddress(target.lastInsn());
        atRet.pre_handler = (kp, regs) -> {
            regs.setReturnValue(dev.ksim.sdk.Kprobes.regs_return_value(regs) + 1000);
            return 0;
        };
        assertEquals(0, k.register_kprobes(new Kprobe[] {p, atRet}, 2));
        assertEquals(1007, (long) k.run(() -> wovenKprobeTarget(target, 21)));
        assertEquals(1, hits.get());
        p.pre_handler = (kp, regs) -> {
            regs.setReturnValue(-5);
            regs.setInstructionPointer(target.insnAddress(target.lastInsn()));
            return 1;
        };
        k.unregister_kprobe(atRet);
        assertEquals(-5, (long) k.run(() -> wovenKprobeTarget(target, 21)), "a handler skipped the body");
        assertEquals(0, k.run(() -> dev.ksim.kernel.cpu.Cpu.current().stack().depth()));
    }
}
