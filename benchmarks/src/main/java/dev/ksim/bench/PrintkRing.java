package dev.ksim.bench;

import static dev.ksim.sdk.Printk.pr_info;

import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.printk.LogBuffer;
import dev.ksim.sdk.spi.KernelBinding;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Target 4: {@code pr_info} of a short formatted line into the ring buffer takes at most 300 ns.
 *
 * <p>The line the kernel's kprobe_example prints from its pre_handler, through the SDK's
 * {@code pr_info} (→ {@code KernelBinding.current().vprintk}) with the kernel bound to the thread:
 * kernel vsnprintf (with a SipHash-hashed {@code %p}), header parsing, and a store into the bounded
 * ring buffer (128 KiB / 4,096 records by default), which wraps within the first warm-up iteration, so
 * every measured store also evicts. {@code onCpu=true} prints from a thread running CPU 0 as a task,
 * {@code false} from a thread on no CPU (the record's caller is then the boot context).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PrintkRing {
    @Param({"true", "false"})
    public boolean onCpu;

    private SimKernel k;
    private Cpu cpu;
    private KernelBinding.Scope binding;
    private long addr;
    private long ip;
    private long flags = 0x246L;
    private long seqAtStart;

    @Setup(Level.Trial)
    public void boot() {
        k = Kernels.boot();
        addr = k.function("kernel_clone").address();
        ip = addr + 1;
        binding = KernelBinding.bind(k);
        if (onCpu) {
            cpu = k.cpu(0);
            cpu.acquire(k.newTask("insmod", false));
        }
    }

    @Setup(Level.Iteration)
    public void check() {
        Kernels.check(KernelBinding.bound() == k, "the kernel is bound to the benchmark thread");
        Kernels.check(onCpu == (Cpu.current() == cpu && cpu != null), "on CPU: " + onCpu);
        seqAtStart = k.log().buffer().nextSeq();
    }

    @TearDown(Level.Iteration)
    public void wrapped() {
        LogBuffer b = k.log().buffer();
        long printed = b.nextSeq() - seqAtStart;
        Kernels.check(printed > b.maxRecords() && b.firstSeq() > seqAtStart,
                "the ring buffer wrapped during the iteration (" + printed + " records)");
        String last = b.read(b.nextSeq() - 1).text();
        Kernels.check(last.startsWith("handler_pre: <kernel_clone> p->addr = 0x"), "printed: " + last);
    }

    @TearDown(Level.Trial)
    public void shutdown() {
        if (cpu != null) {
            cpu.release();
        }
        binding.close();
        k.close();
    }

    @Benchmark
    public int prInfo() {
        return pr_info("handler_pre: <%s> p->addr = 0x%p, ip = %lx, flags = 0x%lx\n", "kernel_clone", addr, ip,
                flags);
    }
}
