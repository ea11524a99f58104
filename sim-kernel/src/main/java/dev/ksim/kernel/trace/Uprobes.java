package dev.ksim.kernel.trace;

import dev.ksim.kernel.fs.Vfs;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.PtRegs;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The uprobes core ({@code kernel/events/uprobes.c}): consumers registered on an (inode, offset) pair. A probe
 * belongs to the file, not to a process, so every process that runs the file hits it, whenever it was started.
 * Thread-safe: concurrent maps and copy-on-write lists.
 */
public final class Uprobes {
    /** A uprobe user ({@code struct uprobe_consumer}). */
    public interface Consumer {
        /**
         * The probed instruction is about to run.
         *
         * @param p the process
         * @param vaddr the instruction's address in the process
         * @param regs the user registers
         */
        void handler(Process p, long vaddr, PtRegs regs);

        /** @return whether this consumer wants the function's return ({@code ret_handler}) */
        boolean wantsReturn();

        /**
         * The function entered at the probe returns.
         *
         * @param p the process
         * @param func the function's address
         * @param retAddr where it returns to
         * @param regs the user registers at the return
         */
        void retHandler(Process p, long func, long retAddr, PtRegs regs);
    }

    private final Map<Vfs.Inode, Map<Long, List<Consumer>>> probes = new ConcurrentHashMap<>();

    /**
     * {@code uprobe_register()}.
     *
     * @param inode the file
     * @param offset the offset in it
     * @param c the consumer
     * @return 0, or -EINVAL for an offset past the end of the file
     */
    public int register(Vfs.Inode inode, long offset, Consumer c) {
        if (offset < 0 || offset > inode.size()) {
            return -dev.ksim.sdk.Errno.EINVAL;
        }
        probes.computeIfAbsent(inode, i -> new ConcurrentHashMap<>())
                .computeIfAbsent(offset, o -> new CopyOnWriteArrayList<>()).add(c);
        return 0;
    }

    /** {@code uprobe_unregister()}. @param inode the file @param offset the offset @param c the consumer */
    public void unregister(Vfs.Inode inode, long offset, Consumer c) {
        Map<Long, List<Consumer>> m = probes.get(inode);
        if (m != null && m.get(offset) != null) {
            m.get(offset).remove(c);
        }
    }

    /**
     * @param inode a file
     * @param offset an instruction's offset
     * @return the consumers there (empty when none)
     */
    public List<Consumer> at(Vfs.Inode inode, long offset) {
        Map<Long, List<Consumer>> m = probes.get(inode);
        List<Consumer> l = m == null ? null : m.get(offset);
        return l == null ? List.of() : l;
    }
}
