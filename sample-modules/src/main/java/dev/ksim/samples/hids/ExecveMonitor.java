// SPDX-License-Identifier: GPL-2.0
package dev.ksim.samples.hids;

import static dev.ksim.sdk.Kernel.current;
import static dev.ksim.sdk.Kprobes.register_kretprobe;
import static dev.ksim.sdk.Kprobes.regs_get_kernel_argument;
import static dev.ksim.sdk.Kprobes.regs_return_value;
import static dev.ksim.sdk.Kprobes.unregister_kretprobe;
import static dev.ksim.sdk.Maccess.bpf_core_read;
import static dev.ksim.sdk.Maccess.copy_from_user_nofault;
import static dev.ksim.sdk.Maccess.kernel_string_nofault;
import static dev.ksim.sdk.Maccess.strncpy_from_user_nofault;
import static dev.ksim.sdk.Printk.pr_err;
import static dev.ksim.sdk.Printk.pr_info;
import static dev.ksim.sdk.ProcFs.proc_create_single;
import static dev.ksim.sdk.ProcFs.proc_remove;
import static dev.ksim.sdk.ProcFs.seq_printf;

import dev.ksim.sdk.Errno;
import dev.ksim.sdk.KernelModule;
import dev.ksim.sdk.Kretprobe;
import dev.ksim.sdk.KretprobeInstance;
import dev.ksim.sdk.ModuleInfo;
import dev.ksim.sdk.ModuleParam;
import dev.ksim.sdk.NoKprobe;
import dev.ksim.sdk.ProcDirEntry;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.SeqFile;
import dev.ksim.sdk.linux.TaskStruct;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * execve_monitor: process executions, as an HIDS agent (AgentSmith-HIDS and its kind) collects them. A
 * kretprobe on the execve path takes, at entry, the file name and {@code argv} (read from the caller's
 * memory without faulting) and, at return, pid, ppid, uid, comm and the result, and puts the event into a
 * bounded ring buffer. A user-space agent drains the ring by reading {@code /proc/execve_monitor} (one line
 * per event); {@code /proc/execve_monitor_stats} counts events, drops (ring full) and misses (more execs in
 * flight than kretprobe instances).
 *
 * <p>usage: {@code insmod execve_monitor.jar ring_size=256}, then {@code cat /proc/execve_monitor}.
 */
@ModuleInfo(license = "GPL", description = "execve monitor: exec events in a ring buffer, drained through /proc")
public class ExecveMonitor implements KernelModule {
    /** Arguments kept per event, and bytes per argument (longer ones are cut). */
    static final int MAX_ARGS = 16;
    static final int MAX_ARG_LEN = 128;
    /** The per-instance buffer: the file name and the arguments, each NUL-terminated. */
    static final int DATA_SIZE = 2048;

    /** The execve function: {@code do_execveat_common(fd, filename, argv, envp, flags)}. */
    @ModuleParam(perm = 0444, maxlen = 128, desc = "the execve function to kretprobe")
    public String symbol = "do_execveat_common.isra.0";

    /** Events the ring holds before it drops. */
    @ModuleParam(perm = 0444, desc = "events buffered until a reader drains them")
    public int ring_size = 128;

    /** Execs in flight that can be tracked (kretprobe maxactive). */
    @ModuleParam(perm = 0444, desc = "execs tracked at once; 0 for the kernel's default")
    public int maxactive = 32;

    EventRing ring;
    final Kretprobe rp = new Kretprobe();
    ProcDirEntry events;
    ProcDirEntry stats;

    /* at entry: save the file name and argv while the caller's memory is still the old image */
    @NoKprobe
    int entry_handler(KretprobeInstance ri, PtRegs regs) {
        ByteBuffer d = ri.data.clear();
        long filename = regs_get_kernel_argument(regs, 1);
        String name = kernel_string_nofault(bpf_core_read(filename, "filename", "name", 8), MAX_ARG_LEN);
        put(d, name == null ? "?" : name);
        long argv = regs_get_kernel_argument(regs, 2);
        byte[] ptr = new byte[8];
        byte[] arg = new byte[MAX_ARG_LEN];
        for (int i = 0; i < MAX_ARGS; i++) {
            if (copy_from_user_nofault(ptr, argv + 8L * i, 8) != 0) {
                break;
            }
            long p = ByteBuffer.wrap(ptr).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            if (p == 0) {
                break;
            }
            long n = strncpy_from_user_nofault(arg, p, MAX_ARG_LEN);
            if (n <= 0) {
                break;
            }
            put(d, arg, (int) n - 1);
        }
        return 0;
    }

    /* at return: who ran it and what came of it */
    @NoKprobe
    int ret_handler(KretprobeInstance ri, PtRegs regs) {
        ByteBuffer d = ri.data.flip();
        String filename = take(d);
        StringBuilder argv = new StringBuilder();
        for (String a = take(d); a != null; a = take(d)) {
            argv.append(argv.length() == 0 ? "" : " ").append(a);
        }
        TaskStruct t = current();
        ring.push(new ExecEvent(t.tgid(), t.real_parent().tgid(), t.cred().uid(), t.comm(), filename,
                argv.toString(), regs_return_value(regs)));
        return 0;
    }

    /** Appends a NUL-terminated string if it fits. */
    private static void put(ByteBuffer d, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        put(d, b, b.length);
    }

    /** Appends the first {@code len} bytes of {@code b} and a NUL, if they fit. */
    private static void put(ByteBuffer d, byte[] b, int len) {
        if (d.remaining() > len) {
            d.put(b, 0, len).put((byte) 0);
        }
    }

    /** @return the next NUL-terminated string, or null at the end */
    private static String take(ByteBuffer d) {
        if (!d.hasRemaining()) {
            return null;
        }
        int start = d.position();
        while (d.get() != 0) {
            // to the NUL
        }
        return new String(d.array(), d.arrayOffset() + start, d.position() - start - 1, StandardCharsets.UTF_8);
    }

    int show_events(SeqFile m, Object v) {
        for (ExecEvent e : ring.drain()) {
            seq_printf(m, "%s\n", e.line());
        }
        return 0;
    }

    int show_stats(SeqFile m, Object v) {
        EventRing.Counts c = ring.counts();
        seq_printf(m, "events %lu\ndropped %lu\nmissed %d\n", c.produced(), c.dropped(), rp.nmissed);
        return 0;
    }

    @Override
    public int init() {
        if (ring_size < 1) {
            pr_err("execve_monitor: ring_size must be at least 1, got %d\n", ring_size);
            return -Errno.EINVAL;
        }
        ring = new EventRing(ring_size);
        rp.kp.symbol_name = symbol;
        rp.entry_handler = this::entry_handler;
        rp.handler = this::ret_handler;
        rp.data_size = DATA_SIZE;
        rp.maxactive = maxactive;
        int ret = register_kretprobe(rp);
        if (ret < 0) {
            pr_err("execve_monitor: register_kretprobe on %s failed, returned %d\n", symbol, ret);
            return ret;
        }
        events = proc_create_single("execve_monitor", 0400, null, this::show_events);
        stats = proc_create_single("execve_monitor_stats", 0444, null, this::show_stats);
        if (events == null || stats == null) {
            proc_remove(events);
            proc_remove(stats);
            unregister_kretprobe(rp);
            return -Errno.ENOMEM;
        }
        pr_info("execve_monitor: kretprobe on %s, ring of %d events in /proc/execve_monitor\n", symbol, ring_size);
        return 0;
    }

    @Override
    public void exit() {
        proc_remove(stats);
        proc_remove(events);
        unregister_kretprobe(rp);
        EventRing.Counts c = ring.counts();
        pr_info("execve_monitor: %lu events, %lu dropped, %d missed\n", c.produced(), c.dropped(), rp.nmissed);
    }
}
