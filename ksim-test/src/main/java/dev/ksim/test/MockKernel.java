package dev.ksim.test;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;

import dev.ksim.kernel.mm.StructLayouts;
import dev.ksim.kernel.printk.Vsprintf;
import dev.ksim.sdk.ProcDirEntry;
import dev.ksim.sdk.ProcShow;
import dev.ksim.sdk.SeqFile;
import dev.ksim.sdk.spi.KernelBinding;
import dev.ksim.sdk.spi.KernelServices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mockito.Mockito;

/**
 * A kernel for unit tests that boot nothing: a Mockito mock of {@link KernelServices}, bound to the calling
 * thread until {@link #close()}, so the module's calls to {@code register_kprobe}, {@code printk},
 * {@code current} … reach it. Verify and stub it as any mock:
 *
 * <pre>{@code
 * try (MockKernel k = MockKernel.install()) {
 *     when(k.services().register_kprobe(any())).thenReturn(-EINVAL);
 *     assertEquals(-EINVAL, new MyModule().init());
 *     k.dmesg().containsLine("register_kprobe failed, returned -22");
 * }
 * }</pre>
 *
 * <p>Beyond Mockito's defaults (0, null, false): printk is formatted as the kernel formats it and kept for
 * {@link #dmesg()}; kernel memory reads go to a {@link FakeMemory} laid out like the simulated x86_64 kernel;
 * user-memory reads ({@code copy_from_user_nofault}) go to the same memory; {@code proc_create_single} files
 * can be {@link #read}; {@code current} is the task set with {@link #current(long)}. A test's own stubbing replaces these.
 * {@link MockKernelExtension} installs one per test and injects it.
 */
public final class MockKernel implements AutoCloseable {
    private final KernelServices services = Mockito.mock(KernelServices.class);
    private final FakeMemory memory;
    /** printk's formatter: no symbols, a fixed pointer-hash key (the same %p every run). */
    private final Vsprintf vsprintf = new Vsprintf(null, 0x0123456789abcdefL, 0x0fedcba987654321L);
    /** Complete lines printed; guarded by this. */
    private final List<String> lines = new ArrayList<>();
    /** The line being printed (no newline yet); guarded by this. */
    private final StringBuilder partial = new StringBuilder();
    /** Files the module created under /proc, by path; guarded by this. */
    private final Map<String, ProcFile> procFiles = new HashMap<>();
    /** The task {@code current} returns; written by the test. */
    private volatile long current;
    private final KernelBinding.Scope scope;

    private MockKernel(FakeMemory memory) {
        this.memory = memory;
        doAnswer(inv -> printk(inv.getArgument(0), inv.getArgument(1))).when(services).vprintk(anyString(), any());
        doAnswer(inv -> memory.read(inv.getArgument(0), inv.getArgument(1))).when(services).read(anyLong(), anyInt());
        doAnswer(inv -> {
            memory.write(inv.getArgument(0), inv.getArgument(1), inv.getArgument(2));
            return null;
        }).when(services).write(anyLong(), anyInt(), anyLong());
        doAnswer(inv -> memory.offsetof(inv.getArgument(0), inv.getArgument(1))).when(services)
                .offsetof(anyString(), anyString());
        doAnswer(inv -> memory.copyFromKernelNofault(inv.getArgument(0), inv.getArgument(1), inv.getArgument(2)))
                .when(services).copy_from_kernel_nofault(any(), anyLong(), anyInt());
        doAnswer(inv -> memory.strncpyFromKernelNofault(inv.getArgument(0), inv.getArgument(1),
                inv.getArgument(2))).when(services).strncpy_from_kernel_nofault(any(), anyLong(), anyInt());
        doAnswer(inv -> (long) memory.copyFromKernelNofault(inv.getArgument(0), inv.getArgument(1),
                inv.getArgument(2))).when(services).copy_from_user_nofault(any(), anyLong(), anyInt());
        doAnswer(inv -> memory.strncpyFromKernelNofault(inv.getArgument(0), inv.getArgument(1),
                inv.getArgument(2))).when(services).strncpy_from_user_nofault(any(), anyLong(), anyInt());
        doAnswer(inv -> {
            ProcDirEntry de = new ProcDirEntry(inv.getArgument(0), inv.getArgument(2));
            synchronized (this) {
                if (procFiles.putIfAbsent(de.path(), new ProcFile(inv.getArgument(3), inv.getArgument(4))) != null) {
                    return null;
                }
            }
            return de;
        }).when(services).proc_create_single_data(anyString(), anyInt(), any(), any(), any());
        doAnswer(inv -> {
            synchronized (this) {
                procFiles.remove(((ProcDirEntry) inv.getArgument(0)).path());
            }
            return null;
        }).when(services).proc_remove(any());
        doAnswer(inv -> current).when(services).current_task();
        doAnswer(inv -> 1).when(services).num_possible_cpus();
        this.scope = KernelBinding.bind(services);
    }

    /** @return a mock kernel bound to the calling thread, with x86_64 structure layouts */
    public static MockKernel install() {
        return new MockKernel(new FakeMemory(StructLayouts.x86_64_v6()));
    }

    /**
     * @param memory the memory (and layouts) to read structures from
     * @return a mock kernel bound to the calling thread
     */
    public static MockKernel install(FakeMemory memory) {
        return new MockKernel(memory);
    }

    /** @return the Mockito mock: verify calls on it, stub it with {@code when(…)} */
    public KernelServices services() {
        return services;
    }

    /** @return the kernel memory structures are read from */
    public FakeMemory memory() {
        return memory;
    }

    /**
     * @param task the address of a {@code task_struct} (built in {@link #memory()})
     * @return this
     */
    public MockKernel current(long task) {
        current = task;
        return this;
    }

    /**
     * Reads a file the module created with {@code proc_create_single}: calls its show function.
     *
     * @param path the file ({@code /proc/execmon})
     * @return what show wrote
     * @throws AssertionError if the module created no such file (or removed it)
     */
    public String read(String path) {
        ProcFile f;
        synchronized (this) {
            f = procFiles.get(path);
        }
        if (f == null) {
            throw new AssertionError(path + ": No such file or directory; the module created " + procFiles.keySet());
        }
        SeqFile m = new SeqFile(vsprintf::sprintf);
        f.show.show(m, f.data);
        return m.contents();
    }

    /** A file made by {@code proc_create_single_data}. */
    private record ProcFile(ProcShow show, Object data) {
    }

    /** @return what the module printed, one message per line, the KERN_ level prefixes removed */
    public synchronized Dmesg dmesg() {
        List<String> all = new ArrayList<>(lines);
        if (partial.length() > 0) {
            all.add(partial.toString());
        }
        return new Dmesg(all);
    }

    private synchronized int printk(String fmt, Object[] args) {
        String f = fmt;
        boolean cont = false;
        while (f.length() >= 2 && f.charAt(0) == '\001') {
            cont |= f.charAt(1) == 'c';
            f = f.substring(2);
        }
        if (!cont && partial.length() > 0) {
            lines.add(partial.toString());
            partial.setLength(0);
        }
        String text = vsprintf.sprintf(f, args == null ? new Object[0] : args);
        partial.append(text);
        for (int nl = partial.indexOf("\n"); nl >= 0; nl = partial.indexOf("\n")) {
            lines.add(partial.substring(0, nl));
            partial.delete(0, nl + 1);
        }
        return text.length();
    }

    /** Unbinds the mock: the thread gets the kernel it had before. */
    @Override
    public void close() {
        scope.close();
    }
}
