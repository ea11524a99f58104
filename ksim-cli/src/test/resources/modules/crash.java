import dev.ksim.sdk.*;

@ModuleInfo(license = "GPL")
public class Crash implements KernelModule {
    String name;
    int length() { return name.length(); }
    public int init() { return length(); }
    public void exit() { }
}
