import dev.ksim.sdk.*;

/** init fails with -EINVAL (22), as a register_kprobe on a blacklisted function would. */
@ModuleInfo(license = "GPL")
public class Invalid implements KernelModule {
    public int init() { return -22; }
}
