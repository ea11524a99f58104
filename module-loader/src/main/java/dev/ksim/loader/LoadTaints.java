package dev.ksim.loader;

import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.diag.Taint;

/**
 * The taints a module load adds, with the kernel's messages ({@code module_augment_kernel_taints}):
 * O for every module (none is built in-tree), printed only when O is first set; P for a license that is
 * not GPL-compatible, which also turns lock debugging off; E for an unsigned module when signing is
 * enabled but not enforced, logged once per boot. And R for a forced unload.
 */
final class LoadTaints {
    /** Taints added with {@code LOCKDEP_NOW_UNRELIABLE}: P, F, R, M, B, D. */
    private static final long LOCKDEP_UNRELIABLE = Taint.Flag.PROPRIETARY_MODULE.bit() | Taint.Flag.FORCED_MODULE.bit()
            | Taint.Flag.FORCED_RMMOD.bit() | Taint.Flag.MACHINE_CHECK.bit() | Taint.Flag.BAD_PAGE.bit()
            | Taint.Flag.DIE.bit();

    private final SimKernel k;
    private final ModuleSigning signing;
    /** Guarded by this. */
    private boolean signatureNoticed;

    LoadTaints(SimKernel k, ModuleSigning signing) {
        this.k = k;
        this.signing = signing;
    }

    synchronized void onLoad(LoadedModule m) {
        String name = m.name();
        if (!k.taint().test(Taint.Flag.OOT_MODULE)) {
            k.vprintk("\0014%s: loading out-of-tree module taints kernel.\n", new Object[] {name});
        }
        add(m, Taint.Flag.OOT_MODULE);
        if (!m.image().meta().gplCompatible()) {
            if (!k.taint().test(Taint.Flag.PROPRIETARY_MODULE)) {
                k.vprintk("\0014%s: module license '%s' taints kernel.\n",
                        new Object[] {name, m.image().meta().effectiveLicense()});
            }
            lockdepUnreliable(Taint.Flag.PROPRIETARY_MODULE);
            m.taint(Taint.Flag.PROPRIETARY_MODULE);
        }
        if (signing == ModuleSigning.PERMISSIVE) {
            if (!signatureNoticed) {
                signatureNoticed = true;
                k.vprintk("\0015%s: module verification failed: signature and/or required key missing - tainting "
                        + "kernel\n", new Object[] {name});
            }
            add(m, Taint.Flag.UNSIGNED_MODULE);
        }
    }

    /** {@code try_force_unload()}: taint R. */
    synchronized void forcedUnload() {
        lockdepUnreliable(Taint.Flag.FORCED_RMMOD);
    }

    private void add(LoadedModule m, Taint.Flag f) {
        k.taint().add(f);
        m.taint(f);
    }

    /** {@code add_taint(flag, LOCKDEP_NOW_UNRELIABLE)}: the first such taint turns lock debugging off. */
    private void lockdepUnreliable(Taint.Flag f) {
        boolean wasOff = (k.taint().mask() & LOCKDEP_UNRELIABLE) != 0;
        k.taint().add(f);
        if (!wasOff) {
            k.vprintk("\0014Disabling lock debugging due to kernel taint\n", new Object[0]);
        }
    }
}
