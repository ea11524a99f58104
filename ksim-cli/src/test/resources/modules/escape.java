import dev.ksim.sdk.*;

/** Tries to leave the sandbox in every way. */
@ModuleInfo(license = "GPL")
public class Escape implements KernelModule {
    public int init() {
        try {
            Class.forName("dev.ksim.kernel.SimKernel").getDeclaredMethods();
            new Thread(() -> { }).start();
            new java.io.FileInputStream("/etc/passwd").close();
            new java.net.Socket("localhost", 80).close();
        } catch (Exception e) {
            return -1;
        }
        System.exit(0);
        return 0;
    }
}
