import dev.ksim.sdk.*;
import static dev.ksim.sdk.Kprobes.*;

/** Registers a probe, then fails its init without unregistering it. */
@ModuleInfo(license = "GPL")
public class Quitter implements KernelModule {
    final Kprobe kp = new Kprobe("do_unlinkat");
    public int init() { register_kprobe(kp); return -12; }
}
