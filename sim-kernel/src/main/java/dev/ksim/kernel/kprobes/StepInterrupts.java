package dev.ksim.kernel.kprobes;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MutableCallSite;

/**
 * A JVM-wide guard for the simulated NMI a kprobe engine may deliver while it single-steps a probed
 * instruction ({@link KprobeEngine#setSingleStepInterrupt}): a constant call site the JIT folds into the
 * step, so a step reads no hook at all while no engine in this JVM has one installed. Installing the
 * first hook flips it (compiled steps are deoptimised); it flips back when the last one is removed.
 */
final class StepInterrupts {
    private static final MutableCallSite ANY = new MutableCallSite(MethodHandles.constant(boolean.class, false));
    private static final MethodHandle ANY_INVOKER = ANY.dynamicInvoker();
    /** Engines with a hook installed, in this JVM; guarded by the class. */
    private static int installed;

    private StepInterrupts() {
    }

    /** @return false only while no engine in this JVM has a single-step interrupt installed */
    static boolean any() {
        try {
            return (boolean) ANY_INVOKER.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Records that an engine's hook changed.
     *
     * @param before whether the engine had a hook
     * @param after whether it has one now
     */
    static synchronized void changed(boolean before, boolean after) {
        if (before == after) {
            return;
        }
        installed += after ? 1 : -1;
        if (installed == (after ? 1 : 0)) {
            ANY.setTarget(MethodHandles.constant(boolean.class, after));
            MutableCallSite.syncAll(new MutableCallSite[] {ANY});
        }
    }
}
