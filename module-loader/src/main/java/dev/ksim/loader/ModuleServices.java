package dev.ksim.loader;

import dev.ksim.loader.kmsg.KmsgAttribution;
import dev.ksim.sdk.Jprobe;
import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.ProcDirEntry;
import dev.ksim.sdk.ProcShow;
import dev.ksim.sdk.spi.ForwardingKernelServices;
import dev.ksim.sdk.spi.KernelServices;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel as one module's code sees it (bound to the thread while the module's code runs): every call
 * goes to the kernel, and the module loader learns which probes the module registered and not yet
 * unregistered and which /proc files it created and not yet removed (to remove what it leaks), and which log records it printed (for the per-module SLF4J
 * loggers).
 */
final class ModuleServices extends ForwardingKernelServices {
    private final String module;
    private final KmsgAttribution attribution;
    /** Registered probe structures (Kprobe, Kretprobe, Jprobe) in registration order; guarded by itself. */
    private final List<Object> registered = new ArrayList<>();
    /** The module's files under /proc not yet removed, oldest first; guarded by itself. */
    private final List<ProcDirEntry> procEntries = new ArrayList<>();

    ModuleServices(KernelServices kernel, String module, KmsgAttribution attribution) {
        super(kernel);
        this.module = module;
        this.attribution = attribution;
    }

    private void track(Object p, int ret) {
        if (ret == 0) {
            synchronized (registered) {
                registered.add(p);
            }
        }
    }

    private void untrack(Object p) {
        synchronized (registered) {
            for (int i = 0; i < registered.size(); i++) {
                if (registered.get(i) == p) {
                    registered.remove(i);
                    return;
                }
            }
        }
    }

    /** @return the probes the module registered and did not unregister, oldest first */
    List<Object> registered() {
        synchronized (registered) {
            return new ArrayList<>(registered);
        }
    }

    /** Forgets a probe the loader removed on the module's behalf. @param p the probe */
    void forget(Object p) {
        untrack(p);
    }

    /** @return the /proc files the module created and did not remove, oldest first */
    List<ProcDirEntry> procEntries() {
        synchronized (procEntries) {
            return new ArrayList<>(procEntries);
        }
    }

    @Override
    public ProcDirEntry proc_create_single_data(String name, int mode, ProcDirEntry parent, ProcShow show,
            Object data) {
        ProcDirEntry de = super.proc_create_single_data(name, mode, parent, show, data);
        if (de != null) {
            synchronized (procEntries) {
                procEntries.add(de);
            }
        }
        return de;
    }

    @Override
    public void proc_remove(ProcDirEntry de) {
        super.proc_remove(de);
        synchronized (procEntries) {
            procEntries.removeIf(e -> e == de);
        }
    }

    @Override
    public int register_kprobe(Kprobe p) {
        int r = super.register_kprobe(p);
        track(p, r);
        return r;
    }

    @Override
    public void unregister_kprobe(Kprobe p) {
        super.unregister_kprobe(p);
        untrack(p);
    }

    @Override
    public int register_kprobes(Kprobe[] kps, int num) {
        int r = super.register_kprobes(kps, num);
        for (int i = 0; r == 0 && i < num; i++) {
            track(kps[i], 0);
        }
        return r;
    }

    @Override
    public void unregister_kprobes(Kprobe[] kps, int num) {
        super.unregister_kprobes(kps, num);
        for (int i = 0; i < num && i < kps.length; i++) {
            untrack(kps[i]);
        }
    }

    @Override
    public int register_kretprobe(Kretprobe rp) {
        int r = super.register_kretprobe(rp);
        track(rp, r);
        return r;
    }

    @Override
    public void unregister_kretprobe(Kretprobe rp) {
        super.unregister_kretprobe(rp);
        untrack(rp);
    }

    @Override
    public int register_kretprobes(Kretprobe[] rps, int num) {
        int r = super.register_kretprobes(rps, num);
        for (int i = 0; r == 0 && i < num; i++) {
            track(rps[i], 0);
        }
        return r;
    }

    @Override
    public void unregister_kretprobes(Kretprobe[] rps, int num) {
        super.unregister_kretprobes(rps, num);
        for (int i = 0; i < num && i < rps.length; i++) {
            untrack(rps[i]);
        }
    }

    @Override
    public int register_jprobe(Jprobe jp) {
        int r = super.register_jprobe(jp);
        track(jp, r);
        return r;
    }

    @Override
    public void unregister_jprobe(Jprobe jp) {
        super.unregister_jprobe(jp);
        untrack(jp);
    }

    @Override
    public int register_jprobes(Jprobe[] jps, int num) {
        int r = super.register_jprobes(jps, num);
        for (int i = 0; r == 0 && i < num; i++) {
            track(jps[i], 0);
        }
        return r;
    }

    @Override
    public void unregister_jprobes(Jprobe[] jps, int num) {
        super.unregister_jprobes(jps, num);
        for (int i = 0; i < num && i < jps.length; i++) {
            untrack(jps[i]);
        }
    }

    @Override
    public int vprintk(String fmt, Object[] args) {
        return attribution.print(module, () -> super.vprintk(fmt, args));
    }
}
