import dev.ksim.sdk.*;
import static dev.ksim.sdk.Kprobes.*;

/** Probes target's work function; keeps the probe when target goes away. */
@ModuleInfo(license = "GPL")
public class Watcher implements KernelModule {
    final Kprobe kp = new Kprobe("target:work");
    public int init() { return register_kprobe(kp); }
    public void exit() { unregister_kprobe(kp); }
}
