import dev.ksim.sdk.*;
import static dev.ksim.sdk.Printk.*;

@ModuleInfo(license = "GPL")
public class User implements KernelModule {
    public int init() { pr_info("user: counter is %d\n", Lib.Counter.next()); return 0; }
    public void exit() { }
}
