package dev.ksim.kernel.elf;

import dev.ksim.kernel.Arch;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.fs.Vfs;
import dev.ksim.kernel.mm.MemoryRegion;
import dev.ksim.kernel.mm.Prot;
import dev.ksim.kernel.mm.UserMemory;
import dev.ksim.kernel.proc.Process;
import dev.ksim.kernel.trace.Uprobes;
import dev.ksim.sdk.Arm64PtRegs;
import dev.ksim.sdk.PtRegs;
import dev.ksim.sdk.X86PtRegs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Runs simulated user programs in their processes, instruction by instruction: the ELF loader maps the image at
 * a randomized PIE base ({@code ELF_ET_DYN_BASE} plus {@code arch_mmap_rnd()}), calls push return addresses on
 * the user stack, {@code puts@plt} prints a {@code .rodata} string, and every instruction a uprobe is registered
 * on traps into the uprobe handlers (return probes fire when the function returns). Thread-safe: the per-image
 * load bases are guarded by {@code loaded}.
 */
public final class UserRuntime {
    /** The pseudo call target where a system command's simulated body runs inside its {@code main}. */
    public static final String BODY = "__ksim_body";
    /** {@code ELF_ET_DYN_BASE} on x86-64 (2/3 of {@code TASK_SIZE}, page aligned). */
    private static final long ET_DYN_BASE = 0x555555554000L;
    /** {@code mmap_rnd_bits} = 28 pages of randomization. */
    private static final long RND_PAGES = 1L << 28;

    /** Where an image was mapped, by the address space it was mapped into. */
    private record Loaded(Vfs.Inode inode, long base, ElfImage image) {
    }

    private final SimKernel k;
    private final Uprobes uprobes;
    private final Map<UserMemory, Loaded> loaded = new WeakHashMap<>();

    /**
     * @param k the kernel
     * @param uprobes the uprobes core
     */
    public UserRuntime(SimKernel k, Uprobes uprobes) {
        this.k = k;
        this.uprobes = uprobes;
    }

    /** The machine state of one run: the registers and the uretprobes armed on the call stack. */
    private final class Run {
        final Process p;
        final Loaded img;
        final X86PtRegs regs = new X86PtRegs();
        final Consumer<String> stdout;
        final IntSupplier body;
        int bodyStatus;
        /** Per active call: the uretprobe consumers armed at its entry (empty list when none). */
        final Deque<List<Uprobes.Consumer>> returns = new ArrayDeque<>();

        Run(Process p, Loaded img, Consumer<String> stdout, IntSupplier body) {
            this.p = p;
            this.img = img;
            this.stdout = stdout;
            this.body = body;
            MemoryRegion stack = p.userMemory().regions().stream().filter(r -> r.name().equals("[stack]")).findFirst()
                    .orElse(null);
            regs.sp = stack == null ? 0 : stack.end() - 0x1000;
            regs.bp = regs.sp;
        }
    }

    /**
     * Runs a program's {@code main} in a process that has just exec'ed it.
     *
     * @param p the process
     * @param path the program
     * @param stdout where {@code puts} writes
     * @param body the simulated work of a system command's {@code main} (at its {@link #BODY} call); may be null
     * @return {@code main}'s return value, or {@code body}'s
     */
    public int runMain(Process p, String path, Consumer<String> stdout, IntSupplier body) {
        Loaded img = load(p, path);
        if (img == null || img.image.function("main") == null) {
            return body == null ? 0 : body.getAsInt();
        }
        Run run = new Run(p, img, stdout, body);
        long ret = call(run, img.image.function("main"), 0);
        return body != null ? run.bodyStatus : (int) ret;
    }

    /** The loader: maps the image (text and {@code .rodata}) into the current address space once. */
    private Loaded load(Process p, String path) {
        UserMemory um = p.userMemory();
        synchronized (loaded) {
            Loaded l = loaded.get(um);
            if (l != null) {
                return l;
            }
            Vfs.Inode inode = k.vfs().lookup(path);
            ElfImage image = inode == null ? null : ElfImage.parse(k.vfs().read(inode));
            if (image == null) {
                return null;
            }
            long base = ET_DYN_BASE + (Long.remainderUnsigned(k.get_random_u64(), RND_PAGES) << 12);
            long size = (image.fileSize() + 0xfff) & ~0xfffL;
            // The text pages (r-x) up to .rodata's page, then the read-only data with the strings filled in.
            long rodata = image.strings().isEmpty() ? size : image.strings().keySet().iterator().next() & ~0xfffL;
            if (rodata > 0) {
                um.map(path, base, rodata, Prot.RX);
            }
            if (rodata < size) {
                um.map(path, base + rodata, size - rodata, Prot.RW);
                for (Map.Entry<Long, String> s : image.strings().entrySet()) {
                    um.writeBytes(base + s.getKey(), (s.getValue() + "\0").getBytes(StandardCharsets.UTF_8));
                }
            }
            l = new Loaded(inode, base, image);
            loaded.put(um, l);
            return l;
        }
    }

    /** Runs a function; returns its {@code %rax}. */
    private long call(Run run, ElfImage.Function f, long retAddr) {
        long base = run.img.base;
        run.returns.push(List.of());
        for (ElfImage.Insn insn : f.insns()) {
            run.regs.ip = base + insn.offset();
            trap(run, insn.offset());
            switch (insn.mnemonic()) {
                case "push" -> push(run, run.regs.bp);
                case "pop" -> run.regs.sp += 8;
                case "mov" -> mov(run, insn.operands());
                case "lea" -> run.regs.ax = base + Long.decode(insn.operands().substring(0, insn.operands().indexOf(',')));
                case "call" -> {
                    long next = base + insn.offset() + insn.length();
                    push(run, next);
                    callTarget(run, insn.operands(), next);
                    run.regs.sp += 8;
                }
                case "ret" -> {
                    List<Uprobes.Consumer> armed = run.returns.pop();
                    if (!armed.isEmpty()) {
                        run.regs.ip = retAddr;
                        dispatch(run, () -> {
                            for (Uprobes.Consumer c : armed) {
                                c.retHandler(run.p, base + f.offset(), retAddr, userRegs(run));
                            }
                        });
                    }
                    return run.regs.ax;
                }
                default -> {
                    // endbr64, nop: no effect on the simulated state
                }
            }
        }
        run.returns.pop();
        return run.regs.ax;
    }

    private void callTarget(Run run, String target, long retAddr) {
        if (target.equals(BODY)) {
            run.bodyStatus = run.body == null ? 0 : run.body.getAsInt();
            run.regs.ax = run.bodyStatus;
            return;
        }
        if (target.equals("puts@plt")) {
            run.stdout.accept(string(run, run.regs.di) + "\n");
            run.regs.ax = 1;
            return;
        }
        ElfImage.Function callee = run.img.image.function(target);
        if (callee != null) {
            call(run, callee, retAddr);
        }
    }

    private void mov(Run run, String ops) {
        switch (ops) {
            case "%rax,%rdi" -> run.regs.di = run.regs.ax;
            case "%rsp,%rbp" -> run.regs.bp = run.regs.sp;
            default -> {
                if (ops.startsWith("$") && ops.endsWith(",%eax")) {
                    run.regs.ax = Long.decode(ops.substring(1, ops.indexOf(',')));
                }
            }
        }
    }

    private void push(Run run, long value) {
        run.regs.sp -= 8;
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        run.p.userMemory().copyToUser(run.regs.sp, b, 8);
    }

    /** {@code puts}' argument: the string at a user address (empty if it cannot be read). */
    private String string(Run run, long addr) {
        byte[] b = new byte[4096];
        long n = run.p.userMemory().strncpyFromUser(b, addr, b.length - 1);
        return n < 0 ? "" : new String(b, 0, (int) n, StandardCharsets.UTF_8);
    }

    /** The breakpoint of the uprobes at an offset, if any: their handlers run; return probes are armed. */
    private void trap(Run run, long offset) {
        List<Uprobes.Consumer> cs = uprobes.at(run.img.inode, offset);
        if (cs.isEmpty()) {
            return;
        }
        long vaddr = run.img.base + offset;
        dispatch(run, () -> {
            for (Uprobes.Consumer c : cs) {
                c.handler(run.p, vaddr, userRegs(run));
            }
        });
        List<Uprobes.Consumer> rets = cs.stream().filter(Uprobes.Consumer::wantsReturn).toList();
        if (!rets.isEmpty() && !run.returns.isEmpty()) {
            run.returns.pop();
            run.returns.push(rets);
        }
    }

    /** Handlers run in the task's context on its CPU, as {@code uprobe_notify_resume} runs them. */
    private void dispatch(Run run, Runnable handlers) {
        k.onCpu(run.p.cpu(), run.p.task, () -> {
            handlers.run();
            return null;
        });
    }

    /** The user {@code pt_regs} of the architecture: x86-64's directly, or arm64's with the same values. */
    private PtRegs userRegs(Run run) {
        if (k.arch() == Arch.X86_64) {
            X86PtRegs r = new X86PtRegs();
            r.copyFrom(run.regs);
            return r;
        }
        Arm64PtRegs a = new Arm64PtRegs();
        X86PtRegs x = run.regs;
        a.regs[0] = x.di;
        a.regs[1] = x.si;
        a.regs[2] = x.dx;
        a.regs[3] = x.cx;
        a.regs[29] = x.bp;
        a.sp = x.sp;
        a.pc = x.ip;
        return a;
    }
}
