import dev.ksim.sdk.*;

/** Exports a counter other modules use. */
@ModuleInfo(license = "GPL")
public class Lib implements KernelModule {
    public static class Counter {
        private static int n;
        public static int next() { return ++n; }
    }
    public int init() { return 0; }
    public void exit() { }
}
