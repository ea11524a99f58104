import dev.ksim.sdk.*;

/** No exit: it cannot be unloaded. */
@ModuleInfo(license = "GPL")
public class Permanent implements KernelModule {
    public int init() { return 0; }
}
