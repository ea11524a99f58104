import dev.ksim.sdk.*;
import static dev.ksim.sdk.Printk.*;

@ModuleInfo(license = "GPL", description = "one parameter of each kind")
public class Params implements KernelModule {
    @ModuleParam(perm = 0644, desc = "a count") public int count = 3;
    @ModuleParam(perm = 0444, type = "uint") public int limit;
    @ModuleParam(perm = 0644) public boolean verbose;
    @ModuleParam(perm = 0644, maxlen = 8, desc = "a tag") public String tag = "t";
    @ModuleParam(perm = 0600) public String name;
    @ModuleParam public long hidden;

    public int init() {
        pr_info("params: count=%d limit=%u verbose=%d tag=%s\n", count, limit, verbose ? 1 : 0, tag);
        return 0;
    }

    public void exit() { }
}
