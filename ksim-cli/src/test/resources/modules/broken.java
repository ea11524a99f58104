import dev.ksim.sdk.*;
import static dev.ksim.sdk.Printk.*;

@ModuleInfo(license = "GPL")
public class Broken implements KernelModule {
    public int init() {
        pr_inf("oops\n");
        return 0;
    }
}
