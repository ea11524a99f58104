package dev.ksim.kernel.trace;

import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.cpu.Cpu;
import dev.ksim.kernel.fs.Vfs;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.PtRegs;

/**
 * A uprobe or uretprobe of a dynamic event ({@code struct trace_uprobe}): registered on the file's inode and
 * offset when its event is enabled, so it fires in every process running the file. Records
 * {@code NAME: (0xVADDR)} or {@code NAME: (0xRETADDR <- 0xFUNC)}.
 */
final class TraceUprobe extends ProbePoint implements Uprobes.Consumer {
    private final SimKernel k;
    private final Uprobes uprobes;
    private final UprobeCommand cmd;
    private final Vfs.Inode inode;

    TraceUprobe(ProbeEvent event, SimKernel k, Uprobes uprobes, UprobeCommand cmd, Vfs.Inode inode) {
        super(event, cmd.args());
        this.k = k;
        this.uprobes = uprobes;
        this.cmd = cmd;
        this.inode = inode;
    }

    /** Uprobes are registered with the uprobes core only while their event is enabled. */
    @Override
    int register() {
        return 0;
    }

    @Override
    int arm() {
        return uprobes.register(inode, cmd.offset(), this);
    }

    @Override
    void disarm() {
        uprobes.unregister(inode, cmd.offset(), this);
    }

    @Override
    void release() {
        disarm();
    }

    @Override
    public boolean wantsReturn() {
        return cmd.isReturn();
    }

    private FetchContext context(Process p, PtRegs regs, long base) {
        return new KernelFetchContext(k, regs, p.task, true) {
            @Override
            public long fileAddress(long fileOffset) {
                return base + fileOffset;
            }

            @Override
            public String symbol(long addr) {
                return "0x" + Long.toHexString(addr);
            }
        };
    }

    @Override
    public void handler(Process p, long vaddr, PtRegs regs) {
        if (cmd.isReturn()) {
            return;
        }
        nhit.incrementAndGet();
        if (event.enabled) {
            event.hit(this, context(p, regs, vaddr - cmd.offset()), "0x" + Long.toHexString(vaddr), Cpu.current(),
                    p.task);
        }
    }

    @Override
    public void retHandler(Process p, long func, long retAddr, PtRegs regs) {
        nhit.incrementAndGet();
        if (event.enabled) {
            String where = "0x" + Long.toHexString(retAddr) + " <- 0x" + Long.toHexString(func);
            event.hit(this, context(p, regs, func - cmd.offset()), where, Cpu.current(), p.task);
        }
    }

    @Override
    String location() {
        return String.format("%s:0x%016x", cmd.path(), cmd.offset())
                + (cmd.refCtrOffset() != 0 ? "(0x" + Long.toHexString(cmd.refCtrOffset()) + ")" : "");
    }

    @Override
    String definition() {
        StringBuilder b = new StringBuilder();
        b.append(cmd.isReturn() ? 'r' : 'p').append(':').append(event.group).append('/').append(event.name)
                .append(' ').append(location());
        for (ProbeArg a : args) {
            b.append(' ').append(a.name()).append('=').append(a.comm());
        }
        return b.toString();
    }

    @Override
    long misses() {
        return 0;
    }

    @Override
    String profileLine() {
        return String.format("  %s %-44s %15d%n", cmd.path(), event.name, nhit.get()).replace(System.lineSeparator(),
                "\n");
    }
}
