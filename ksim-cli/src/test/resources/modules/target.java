import dev.ksim.sdk.*;
import static dev.ksim.sdk.Printk.*;

/** Has a function other modules can probe. */
@ModuleInfo(license = "GPL")
public class Target implements KernelModule {
    public int init() { return 0; }
    public void exit() { }
    public long work(long n) { return n * 2; }
}
