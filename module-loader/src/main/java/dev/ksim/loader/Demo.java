package dev.ksim.loader;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.BootOptions;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.KernelModule;
import java.io.PrintStream;
import java.util.List;

/**
 * A guided first run: boots a simulated kernel, loads a module class (the port of the kernel's
 * {@code kprobe_example} by default), runs a few processes, and shows what a user of a real kernel
 * would look at: the kprobes list, kallsyms and dmesg.
 *
 * <p>Usage: {@code Demo [--arch x86_64|arm64] [--cpus N] [--module CLASS] [--symbol FUNCTION]}.
 * Exit status: 0, 1 if the module failed to load, 2 for a usage error.
 */
public final class Demo {
    private Demo() {
    }

    /**
     * Runs the demo.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Arch arch = Arch.X86_64;
        int cpus = 4;
        String moduleClass = "dev.ksim.samples.kprobes.KprobeExample";
        String symbol = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--arch" -> arch = Arch.parse(args[++i]);
                    case "--cpus" -> cpus = Integer.parseInt(args[++i]);
                    case "--module" -> moduleClass = args[++i];
                    case "--symbol" -> symbol = args[++i];
                    case "-h", "--help" -> {
                        out.println("usage: demo [--arch x86_64|arm64] [--cpus N] [--module CLASS] [--symbol FUNCTION]");
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
                }
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            err.println("demo: option " + args[args.length - 1] + " needs a value");
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("demo: " + e.getMessage());
            return 2;
        }
        KernelModule module;
        try {
            module = (KernelModule) Class.forName(moduleClass).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            err.println("demo: cannot load module class " + moduleClass + ": " + e);
            return 1;
        }
        if (symbol != null) {
            try {
                module.getClass().getField("symbol").set(module, symbol);
            } catch (ReflectiveOperationException e) {
                err.println("demo: module has no 'symbol' parameter");
                return 2;
            }
        }
        String name = moduleName(moduleClass);
        try (SimKernel k = SimKernel.boot(BootOptions.defaults().withArch(arch).withCpus(cpus))) {
            out.printf("ksim: booted Linux %s %s with %d CPUs%n", BootOptions.RELEASE, arch, cpus);
            Process sh = k.spawn("/bin/sh");
            out.println("$ insmod " + name + ".jar" + (symbol != null ? " symbol=" + symbol : ""));
            int ret = k.run(module::init);
            if (ret < 0) {
                out.print(k.dmesg());
                err.printf("insmod: ERROR: could not insert module %s.jar: %s%n", name, kmodStrerror(ret));
                return 1;
            }
            out.println("$ sh -c 'ls /; touch /tmp/f; rm /tmp/f'");
            for (String program : List.of("/bin/ls", "/bin/touch", "/bin/rm")) {
                long pid = sh.fork();
                Process child = k.syscalls().byPid((int) pid);
                child.execve(program, List.of(program.substring(5)), List.of());
                if (program.endsWith("touch")) {
                    long fd = child.open("/tmp/f", Process.O_CREAT | Process.O_WRONLY, 0644);
                    child.close((int) fd);
                } else if (program.endsWith("rm")) {
                    child.unlink("/tmp/f");
                }
                child.exit(0);
                sh.wait4((int) pid);
            }
            out.println("$ cat /sys/kernel/debug/kprobes/list");
            out.print(k.read("/sys/kernel/debug/kprobes/list"));
            out.println("$ grep kprobe_insn_page /proc/kallsyms");
            k.read("/proc/kallsyms").lines().filter(l -> l.contains("kprobe_insn_page")).forEach(out::println);
            out.println("$ rmmod " + name);
            k.run(module::exit);
            out.println("$ dmesg");
            out.print(k.dmesg());
            return 0;
        }
    }

    /** A module's name: its class's simple name in snake case ({@code KprobeExample} → kprobe_example). */
    static String moduleName(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        return simple.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** kmod's {@code mod_strerror}. */
    static String kmodStrerror(int err) {
        return switch (-err) {
            case Errno.ENOEXEC -> "Invalid module format";
            case Errno.ENOENT -> "Unknown symbol in module";
            case Errno.ESRCH -> "Module has wrong symbol version";
            case Errno.EINVAL -> "Invalid parameters";
            default -> Errno.strerror(err);
        };
    }
}
