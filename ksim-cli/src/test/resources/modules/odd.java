import dev.ksim.sdk.*;

@ModuleInfo(license = "GPL")
public class Odd implements KernelModule {
    public int init() { return 1; }
    public void exit() { }
}
