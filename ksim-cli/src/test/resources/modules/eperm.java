import dev.ksim.sdk.*;

/** Old samples returned -1 on failure. */
@ModuleInfo(license = "GPL")
public class Eperm implements KernelModule {
    public int init() { return -1; }
}
