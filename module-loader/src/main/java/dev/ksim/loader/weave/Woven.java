package dev.ksim.loader.weave;

import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.text.KFunction;
import dev.ksim.sdk.spi.KernelBinding;
import dev.ksim.sdk.spi.KernelServices;

/**
 * What woven module code calls on entry and exit of each method (see {@link Weaver}). Public because
 * module classes call it; not an API for anything else.
 *
 * <p>The entry state {@code st} packs the kernel stack depth after the frame was pushed ({@code st >>> 2})
 * and what happened ({@code st & 3}): 0 nothing (no CPU: a plain unit test, or a lambda), 1 entered,
 * 2 entered and a handler redirected execution, so the body is skipped.
 */
public final class Woven {
    private Woven() {
    }

    private static KFunction function(Class<?> owner, int fn) {
        return fn < 0 ? null : ((ModuleClassLoader) owner.getClassLoader()).function(fn);
    }

    private static int enter(Class<?> owner, int fn, long[] args) {
        Cpu c = Cpu.current();
        if (c == null) {
            return 0;
        }
        KFunction f = function(owner, fn);
        if (f == null) {
            return 0;
        }
        boolean skip = c.enterWoven(f, args);
        return c.stack().depth() << 2 | (skip ? 2 : 1);
    }

    /**
     * A loop back-edge of module code: where the kernel's timer interrupt would find a CPU that loops
     * in a handler, so a CPU the soft-lockup watchdog marked stuck unwinds here.
     */
    public static void poll() {
        Cpu.pollSoftLockup();
    }

    /** @param owner the method's class @param fn its function @return the entry state */
    public static int enter(Class<?> owner, int fn) {
        return enter(owner, fn, new long[0]);
    }

    /** @param owner the method's class @param fn its function @param a0 argument 0 @return the entry state */
    public static int enter(Class<?> owner, int fn, long a0) {
        return enter(owner, fn, new long[] {a0});
    }

    /** @param owner class @param fn function @param a0 arg @param a1 arg @return the entry state */
    public static int enter(Class<?> owner, int fn, long a0, long a1) {
        return enter(owner, fn, new long[] {a0, a1});
    }

    /** @param owner class @param fn function @param a0 arg @param a1 arg @param a2 arg @return the entry state */
    public static int enter(Class<?> owner, int fn, long a0, long a1, long a2) {
        return enter(owner, fn, new long[] {a0, a1, a2});
    }

    /**
     * @param owner class @param fn function @param a0 arg @param a1 arg @param a2 arg @param a3 arg
     * @return the entry state
     */
    public static int enter(Class<?> owner, int fn, long a0, long a1, long a2, long a3) {
        return enter(owner, fn, new long[] {a0, a1, a2, a3});
    }

    /**
     * @param owner class @param fn function @param a0 arg @param a1 arg @param a2 arg @param a3 arg
     * @param a4 arg
     * @return the entry state
     */
    public static int enter(Class<?> owner, int fn, long a0, long a1, long a2, long a3, long a4) {
        return enter(owner, fn, new long[] {a0, a1, a2, a3, a4});
    }

    /**
     * @param owner class @param fn function @param a0 arg @param a1 arg @param a2 arg @param a3 arg
     * @param a4 arg @param a5 arg
     * @return the entry state
     */
    public static int enter(Class<?> owner, int fn, long a0, long a1, long a2, long a3, long a4, long a5) {
        return enter(owner, fn, new long[] {a0, a1, a2, a3, a4, a5});
    }

    /**
     * Binds the module's kernel services to the thread while the method runs, if the thread runs on a
     * CPU and is not already bound to them.
     *
     * @param owner the method's class
     * @return the binding to close on exit, or null
     */
    public static Object bind(Class<?> owner) {
        if (Cpu.current() == null) {
            return null;
        }
        KernelServices s = ((ModuleClassLoader) owner.getClassLoader()).services();
        if (s == null || KernelBinding.bound() == s) {
            return null;
        }
        return KernelBinding.bind(s);
    }

    private static void unbind(Object scope) {
        if (scope != null) {
            ((KernelBinding.Scope) scope).close();
        }
    }

    /**
     * Exit of a method whose body ran.
     *
     * @param value the body's result (0 for references and void)
     * @param st the entry state
     * @param scope the binding from {@link #bind}
     * @param owner the method's class
     * @param fn its function
     * @return the value to return (a probe on {@code ret} may have changed it)
     */
    public static long exit(long value, int st, Object scope, Class<?> owner, int fn) {
        unbind(scope);
        if ((st & 3) == 0) {
            return value;
        }
        Cpu c = Cpu.current();
        c.popWovenFrames(st >>> 2);
        return c.exitWoven(function(owner, fn), value);
    }

    /**
     * Exit of a method whose body a handler skipped.
     *
     * @param st the entry state
     * @param scope the binding
     * @param owner the method's class
     * @param fn its function
     * @return the return register as the handler left it
     */
    public static long skipped(int st, Object scope, Class<?> owner, int fn) {
        return exit(0, st, scope, owner, fn);
    }

    /**
     * The body threw. The frame stays on the kernel stack so that an oops reports the module function;
     * whoever catches the exception (an outer woven method, a kernel function) pops it. A method entered
     * from a probe handler pops its frame now ({@link Cpu#wovenThrew}).
     *
     * @param st the entry state
     * @param scope the binding
     */
    public static void thrown(int st, Object scope) {
        unbind(scope);
        Cpu c;
        if ((st & 3) != 0 && (c = Cpu.current()) != null) {
            c.wovenThrew(st >>> 2);
        }
    }

    /** @param v a return register @return it as a C {@code bool} */
    public static boolean bool(long v) {
        return v != 0;
    }
}
