package dev.ksim.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.TaskKilled;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kprobes;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A module's methods, woven at load, are module text: probe-able, redirectable, GONE after unload. */
class WovenModuleTextTest extends LoaderTestSupport {
    private static final String TARGET = """
            @ModuleInfo(license = "GPL")
            public class Target implements KernelModule {
                public long divide(long v) { return v / 3; }
                public int calls(int n) { int s = 0; for (int i = 0; i < n; i++) { s += swallow(); } return s; }
                int swallow() { try { return thrower(); } catch (IllegalStateException e) { return 1; } }
                int thrower() { throw new IllegalStateException("x"); }
                public long deep(long n) { return n == 0 ? 0 : 1 + deep(n - 1); }
                @NoKprobe public int handler(Kprobe p, PtRegs r) { return 0; }
                public int init() { return 0; }
                public void exit() { }
            }
            """;

    private Object instance;

    private void load() {
        boot();
        assertEquals(0, loader.insmod(module("target", TARGET), ""));
        instance = loader.find("target").instance();
    }

    private long call(String name, Object arg) {
        return k.run(() -> invoke(name, arg));
    }

    private long invoke(String name, Object arg) throws Exception {
        Method m = null;
        for (Method c : instance.getClass().getMethods()) {
            if (c.getName().equals(name)) {
                m = c;
            }
        }
        try {
            return ((Number) m.invoke(instance, arg)).longValue();
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void aProbeOnAModuleFunctionSeesItsArgumentsAndItsReturnCanBeChanged() {
        load();
        AtomicLong arg = new AtomicLong();
        Kprobe entry = new Kprobe("target:divide");
        entry.pre_handler = (p, regs) -> {
            arg.set(Kprobes.regs_get_kernel_argument(regs, 0));
            return 0;
        };
        KFunction f = k.function("target:divide");
        Kprobe ret = new Kprobe();
        ret.addr = f.insnAddress(f.lastInsn());
        ret.pre_handler = (p, regs) -> {
            regs.setReturnValue(Kprobes.regs_return_value(regs) + 1000);
            return 0;
        };
        assertEquals(0, k.register_kprobes(new Kprobe[] {entry, ret}, 2));
        assertEquals(1007, call("divide", 21L));
        assertEquals(21, arg.get());
        assertTrue(k.read("/sys/kernel/debug/kprobes/list").contains("divide+0x0  target \n"));
        k.unregister_kprobes(new Kprobe[] {entry, ret}, 2);
    }

    @Test
    void aHandlerCanSkipTheBody() {
        load();
        KFunction f = k.function("target:divide");
        Kprobe p = new Kprobe("target:divide");
        p.pre_handler = (kp, regs) -> {
            regs.setReturnValue(-5);
            regs.setInstructionPointer(f.insnAddress(f.lastInsn()));
            return 1;
        };
        assertEquals(0, k.register_kprobe(p));
        assertEquals(-5, call("divide", 21L));
        k.unregister_kprobe(p);
    }

    @Test
    void withoutACpuModuleCodeRunsAsPlainJava() throws Exception {
        load();
        assertEquals(7, invoke("divide", 21L));
    }

    @Test
    void exceptionsTheModuleCatchesLeaveNoFramesBehind() {
        load();
        assertEquals(1000, call("calls", 1000));
        assertEquals(0, (int) k.run(() -> Cpu.current().stack().depth()));
    }

    @Test
    void handlersThatCatchOrThrowLeaveTheCpuClean() {
        boot();
        String src = """
                @ModuleInfo(license = "GPL")
                public class Handlers implements KernelModule {
                    final Kprobe catching = new Kprobe("do_sys_openat2");
                    final Kprobe crashing = new Kprobe("do_unlinkat");
                    String none;
                    int thrower() { throw new IllegalStateException("x"); }
                    int swallow() { try { return thrower(); } catch (IllegalStateException e) { return 0; } }
                    int onOpen(Kprobe p, PtRegs r) { return swallow(); }
                    int onUnlink(Kprobe p, PtRegs r) { return none.length(); }
                    public int init() {
                        catching.pre_handler = this::onOpen;
                        crashing.pre_handler = this::onUnlink;
                        return register_kprobes(new Kprobe[] {catching, crashing}, 2);
                    }
                    public void exit() { unregister_kprobes(new Kprobe[] {catching, crashing}, 2); }
                }
                """;
        assertEquals(0, loader.insmod(module("handlers", src), ""), log());
        var sh = k.spawn("/bin/sh");
        for (int i = 0; i < 300; i++) {
            long fd = sh.open("/tmp/f", dev.ksim.kernel.proc.Process.O_CREAT | dev.ksim.kernel.proc.Process.O_WRONLY, 0644);
            assertTrue(fd >= 0, "open " + i);
            sh.close((int) fd);
        }
        assertThrows(TaskKilled.class, () -> sh.unlink("/tmp/f"));
        assertTrue(log().contains("BUG: kernel NULL pointer dereference"), log());
        var other = k.spawn("/bin/sh");
        long fd = other.open("/tmp/g", dev.ksim.kernel.proc.Process.O_CREAT | dev.ksim.kernel.proc.Process.O_WRONLY, 0644);
        assertTrue(fd >= 0);
        for (var cpu : k.cpus()) {
            assertEquals(0, (int) k.onCpu(cpu.id, k.initTask(), () -> Cpu.current().stack().depth()));
        }
        assertEquals(0, loader.rmmod("handlers", false));
    }

    @Test
    void runawayRecursionInInitHitsTheStackGuardPage() {
        boot();
        var deep = module("deep", TARGET.replace("public int init() { return 0; }",
                "public int init() { return (int) deep(100_000); }").replace("class Target", "class Deep"));
        assertThrows(TaskKilled.class, () -> loader.insmod(deep, ""));
        assertTrue(log().contains("BUG: TASK stack guard page was hit"), log());
        assertTrue(log().contains("RIP: 0010:deep+0x"), log());
    }

    @Test
    void noKprobeMethodsAndFreedInitTextCannotBeProbed() {
        load();
        assertEquals(-Errno.EINVAL, k.register_kprobe(new Kprobe("target:handler")));
        assertTrue(k.read("/sys/kernel/debug/kprobes/blacklist").contains("\thandler [target]\n"));
        assertEquals(-Errno.ENOENT, k.register_kprobe(new Kprobe("target:init")), "init text is freed once live");
    }

    @Test
    void probesOnAModuleBecomeGoneWhenItUnloads() {
        load();
        AtomicInteger hits = new AtomicInteger();
        Kprobe p = new Kprobe("target:divide");
        p.pre_handler = (kp, regs) -> hits.incrementAndGet() * 0;
        assertEquals(0, k.register_kprobe(p));
        call("divide", 3L);
        assertEquals(1, hits.get());
        assertEquals(0, loader.rmmod("target", false));
        // The text is freed, so kallsyms no longer names the address: the list prints it raw.
        String addr = String.format("%016x", p.addr);
        assertEquals(addr + "  k  0x" + addr + " [GONE]\n", k.read("/sys/kernel/debug/kprobes/list"));
        assertTrue((p.flags & Kprobe.KPROBE_FLAG_GONE) != 0);
        assertFalse(k.read("/proc/kallsyms").contains("[target]"));
        assertFalse(k.read("/sys/kernel/debug/kprobes/blacklist").contains("[target]"));
        k.unregister_kprobe(p);
        assertEquals("", k.read("/sys/kernel/debug/kprobes/list"));
    }
}
