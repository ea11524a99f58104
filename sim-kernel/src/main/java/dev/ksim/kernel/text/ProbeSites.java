package dev.ksim.kernel.text;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MutableCallSite;

/**
 * A JVM-wide guard that lets probe sites cost nothing while no function anywhere has an armed
 * breakpoint: a constant call site the JIT folds into compiled code. The first arming flips it (compiled
 * callers are deoptimised, the JVM's form of live patching); from then on each call site also reads its
 * function's own armed count. It flips back when the last armed function is disarmed.
 */
public final class ProbeSites {
    private static final MutableCallSite ANY_ARMED = new MutableCallSite(MethodHandles.constant(boolean.class, false));
    private static final MethodHandle ANY_ARMED_INVOKER = ANY_ARMED.dynamicInvoker();
    /** Functions with at least one armed breakpoint, in all kernels of this JVM; guarded by the class. */
    private static int armedFunctions;

    private ProbeSites() {
    }

    /** @return false only while no function in this JVM has an armed breakpoint */
    public static boolean anyArmed() {
        try {
            return (boolean) ANY_ARMED_INVOKER.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static synchronized void functionArmed() {
        if (armedFunctions++ == 0) {
            flip(true);
        }
    }

    static synchronized void functionDisarmed() {
        if (--armedFunctions == 0) {
            flip(false);
        }
    }

    private static void flip(boolean armed) {
        ANY_ARMED.setTarget(MethodHandles.constant(boolean.class, armed));
        MutableCallSite.syncAll(new MutableCallSite[] {ANY_ARMED});
    }
}
