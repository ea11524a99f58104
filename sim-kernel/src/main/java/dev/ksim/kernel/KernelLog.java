package dev.ksim.kernel;

import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.cpu.Task;
import dev.ksim.kernel.printk.CallerInfo;
import dev.ksim.kernel.printk.Dmesg;
import dev.ksim.kernel.printk.LogBuffer;
import dev.ksim.kernel.printk.Printk;
import dev.ksim.kernel.printk.SymbolLookup;
import dev.ksim.kernel.printk.Vsprintf;
import dev.ksim.kernel.text.Symbol;
import java.util.SplittableRandom;

/**
 * The kernel's log: {@code printk} into the ring buffer that {@code dmesg} reads, with {@code %p} hashed
 * under a per-boot key derived from the seed and {@code %pS} resolved against this kernel's kallsyms.
 */
public final class KernelLog {
    private final LogBuffer buffer;
    private final Printk printk;
    private final long bootNanos = System.nanoTime();

    KernelLog(SimKernel kernel, BootOptions o) {
        this.buffer = new LogBuffer(o.logBufShift());
        SplittableRandom rnd = new SplittableRandom(o.seed() ^ 0x6b73696dL);
        SymbolLookup symbols = addr -> {
            Symbol s = kernel.text().lookup(addr);
            return s == null ? null : new SymbolLookup.Symbol(s.name(), addr - s.address(), s.size(), s.module());
        };
        Vsprintf vsprintf = new Vsprintf(symbols, rnd.nextLong(), rnd.nextLong());
        // %p printed raw addresses until 4.15 introduced hashing.
        vsprintf.setHashPointers(o.profile() != KernelProfile.V4_14);
        this.printk = new Printk(buffer, vsprintf, this::clock);
        this.virtualClock = null;
    }

    /** The deterministic scheduler's virtual clock, or null for real time. Set once at boot. */
    private volatile java.util.function.LongSupplier virtualClock;

    void useVirtualClock(java.util.function.LongSupplier clock) {
        this.virtualClock = clock;
    }

    private long clock() {
        java.util.function.LongSupplier v = virtualClock;
        return v != null ? v.getAsLong() : System.nanoTime() - bootNanos;
    }

    /** @return nanoseconds since boot on the log's clock */
    public long uptimeNanos() {
        return clock();
    }

    private static CallerInfo caller() {
        return caller(Cpu.current());
    }

    /** @param c the printing thread's CPU, or null @return who prints */
    private static CallerInfo caller(Cpu c) {
        if (c == null) {
            return CallerInfo.BOOT;
        }
        return inIrq(c) ? CallerInfo.irq(c.id) : CallerInfo.task(taskPid(c), c.id);
    }

    /** @return whether the CPU runs in (soft or hard) interrupt context, which printk reports as the CPU */
    private static boolean inIrq(Cpu c) {
        return (c.preemptCount() & (0xf << 16 | 0xff << 8)) != 0 && (c.preemptCount() & (0xf << 20)) == 0;
    }

    private static int taskPid(Cpu c) {
        Task t = c.task();
        return t == null ? 0 : t.pid;
    }

    /** {@link #caller(Cpu)} for the CPU's own thread, reusing the CPU's last caller when it is the same. */
    private CallerInfo cachedCaller(Cpu c) {
        boolean irq = inIrq(c);
        int pid = irq ? 0 : taskPid(c);
        CallerInfo last = lastCaller[c.id];
        if (last != null && last.inIrq() == irq && last.pid() == pid) {
            return last;
        }
        CallerInfo who = irq ? CallerInfo.irq(c.id) : CallerInfo.task(pid, c.id);
        lastCaller[c.id] = who;
        return who;
    }

    /**
     * {@code printk_caller_id()} of the calling thread: what the {@code callerId} of a record it prints now
     * would be (the task's pid, or the CPU in interrupt context).
     *
     * @return the caller id
     */
    public static int currentCallerId() {
        return caller().callerId();
    }

    /**
     * {@code vprintk}.
     *
     * @param fmt a kernel format, optionally with a level prefix
     * @param args its arguments
     * @return characters stored
     */
    public int vprintk(String fmt, Object[] args) {
        return printk.vprintk(fmt, args, caller());
    }

    /**
     * Stores an already formatted line; a leading {@code KERN_*} prefix gives its level.
     *
     * @param line the text, e.g. {@code "\0014WARNING: …\n"}
     */
    public void line(String line) {
        if (line.length() >= 2 && line.charAt(0) == '\001') {
            printk.vprintk(line.substring(0, 2) + "%s", new Object[] {line.substring(2)}, caller());
        } else {
            printk.vprintk("%s", new Object[] {line}, caller());
        }
    }

    /**
     * The format and arguments of the printk each CPU is running through the simulated functions, the
     * caller its last one stored (reused while the same task prints, so printing allocates no caller), and
     * its printk scratch state.
     * Slot i is used only by the thread running CPU i, like per-CPU data.
     */
    private final String[] pendingFmt = new String[64];
    private final Object[][] pendingArgs = new Object[64][];
    private final CallerInfo[] lastCaller = new CallerInfo[64];
    /** Each CPU's printk scratch state (created by its first printk); slot i as above. */
    private final Printk.Context[] printkContext = new Printk.Context[64];

    /**
     * printk through the simulated {@code _printk} chain: the message is stored when the call reaches
     * {@code vprintk_store}, so probes on the printk functions see real calls.
     *
     * @param cpu the CPU (owned by the calling thread)
     * @param entry {@code _printk}
     * @param fmt the format
     * @param args its arguments
     * @return characters stored
     */
    int vprintkVia(Cpu cpu, dev.ksim.kernel.text.KFunction entry, String fmt, Object[] args) {
        int id = cpu.id;
        String savedFmt = pendingFmt[id];
        Object[] savedArgs = pendingArgs[id];
        pendingFmt[id] = fmt;
        pendingArgs[id] = args;
        try {
            return (int) cpu.call(entry, 0, 0);
        } finally {
            pendingFmt[id] = savedFmt;
            pendingArgs[id] = savedArgs;
        }
    }

    /**
     * The body of {@code vprintk_store}: stores the pending message of this CPU.
     *
     * @param cpu the CPU
     * @return characters stored
     */
    public long storePending(Cpu cpu) {
        int id = cpu.id;
        String fmt = pendingFmt[id];
        if (fmt == null) {
            return 0;
        }
        pendingFmt[id] = null;
        Printk.Context context = printkContext[id];
        if (context == null) {
            context = new Printk.Context();
            printkContext[id] = context;
        }
        return printk.vprintk(fmt, pendingArgs[id], cachedCaller(cpu), context);
    }

    /** @return the ring buffer */
    public LogBuffer buffer() {
        return buffer;
    }

    /** @return the printk implementation */
    public Printk printk() {
        return printk;
    }

    /** @return every record as plain {@code dmesg} prints it */
    public String dmesg() {
        return Dmesg.defaults().format(buffer.readAll());
    }

    /**
     * Only the messages (no timestamps), one per line: what tests compare against.
     *
     * @return the log's text
     */
    public String messages() {
        StringBuilder b = new StringBuilder();
        for (var r : buffer.readAll()) {
            b.append(r.text()).append('\n');
        }
        return b.toString();
    }

    void bootBanner(String release) {
        line("\0015" + linuxBanner(release));
    }

    /**
     * @param release {@code uname -r}
     * @return {@code linux_banner}: the first line the kernel logs, and {@code /proc/version}
     */
    public static String linuxBanner(String release) {
        return "Linux version " + release + " (ksim@ksim) (javac 17) #1 SMP PREEMPT_DYNAMIC\n";
    }
}
