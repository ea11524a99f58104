package dev.ksim.loader;

import dev.ksim.kernel.SimKernel;
import dev.ksim.sdk.Jprobe;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.ProcDirEntry;

/**
 * Beyond the kernel: probes and /proc files a module leaves registered when its init fails or its exit
 * forgets them. A real kernel keeps calling the freed handlers and crashes on the next hit (or read); ksim
 * names each one in a warning and removes it, so nothing dangles.
 */
final class LeakedProbes {
    private LeakedProbes() {
    }

    /**
     * Warns about and unregisters (removes) what the module left registered.
     *
     * @param k the kernel
     * @param m the module
     * @param when when it was noticed, e.g. {@code "after its exit()"}
     * @return how many probes and files were removed
     */
    static int release(SimKernel k, LoadedModule m, String when) {
        ModuleServices s = m.services();
        if (s == null) {
            return 0;
        }
        int n = 0;
        for (Object p : s.registered()) {
            String kind;
            long addr;
            if (p instanceof Kretprobe rp) {
                kind = "kretprobe";
                addr = rp.kp.addr;
                k.unregister_kretprobe(rp);
            } else if (p instanceof Jprobe jp) {
                kind = "jprobe";
                addr = jp.kp.addr;
                k.unregister_jprobe(jp);
            } else {
                Kprobe kp = (Kprobe) p;
                kind = "kprobe";
                addr = kp.addr;
                k.unregister_kprobe(kp);
            }
            s.forget(p);
            k.vprintk("\0014%s: %s at %pS still registered %s: ksim unregistered it (a real kernel would call the "
                    + "freed handler on its next hit and crash)\n", new Object[] {m.name(), kind, addr, when});
            n++;
        }
        for (ProcDirEntry de : s.procEntries()) {
            s.proc_remove(de);
            k.vprintk("\0014%s: %s still registered %s: ksim removed it (a real kernel would call the freed show "
                    + "function on its next read and crash)\n", new Object[] {m.name(), de.path(), when});
            n++;
        }
        return n;
    }
}
