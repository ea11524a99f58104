import dev.ksim.sdk.*;
import static dev.ksim.sdk.Kprobes.*;

/** Forgets to unregister its probe in exit. */
@ModuleInfo(license = "GPL")
public class Leaky implements KernelModule {
    final Kprobe kp = new Kprobe("kernel_clone");
    int pre(Kprobe p, PtRegs r) { return 0; }
    public int init() { kp.pre_handler = this::pre; return register_kprobe(kp); }
    public void exit() { }
}
