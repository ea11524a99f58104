package dev.ksim.kernel.mm;

import dev.ksim.sdk.Kprobe;
import dev.ksim.sdk.spi.ForwardingKernelServices;
import dev.ksim.sdk.spi.KernelServices;
import org.mockito.Mockito;

/**
 * A test kernel whose memory services are a real {@link KernelMemory} and {@link StructLayouts}, wired
 * the way the simulated kernel is meant to wire them; everything else throws.
 */
final class MemoryKernelServices extends ForwardingKernelServices {
    /** What the memory test kernel does not do: probes, sleeping, scheduling … */
    private static final KernelServices UNSUPPORTED = Mockito.mock(KernelServices.class, invocation -> {
        throw new UnsupportedOperationException(invocation.getMethod().getName()
                + " is not part of the memory test kernel");
    });

    private final KernelMemory memory;
    private final StructLayouts layouts;
    /** The task {@link #current_task()} returns; written by the test thread before binding. */
    volatile long current;

    MemoryKernelServices(KernelMemory memory, StructLayouts layouts) {
        super(UNSUPPORTED);
        this.memory = memory;
        this.layouts = layouts;
    }

    @Override
    public long read(long addr, int size) {
        return memory.read(addr, size);
    }

    @Override
    public void write(long addr, int size, long value) {
        memory.write(addr, size, value);
    }

    @Override
    public int copy_from_kernel_nofault(byte[] dst, long src, int size) {
        return memory.copyFromKernelNofault(dst, src, size);
    }

    @Override
    public long strncpy_from_kernel_nofault(byte[] dst, long src, int count) {
        return memory.strncpyFromKernelNofault(dst, src, count);
    }

    @Override
    public long offsetof(String struct, String member) {
        return layouts.offsetof(struct, member);
    }

    @Override
    public long current_task() {
        return current;
    }

    @Override
    public int vprintk(String fmt, Object[] args) {
        return 0;
    }

    @Override
    public Kprobe kprobe_running() {
        return null;
    }
}
