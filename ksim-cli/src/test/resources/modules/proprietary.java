import dev.ksim.sdk.*;
import static dev.ksim.sdk.Kprobes.*;

@ModuleInfo(license = "Proprietary")
public class Proprietary implements KernelModule {
    final Kprobe kp = new Kprobe("kernel_clone");
    public int init() { return register_kprobe(kp); }
    public void exit() { unregister_kprobe(kp); }
}
