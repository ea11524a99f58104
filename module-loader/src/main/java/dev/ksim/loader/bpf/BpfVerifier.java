package dev.ksim.loader.bpf;

import dev.ksim.sdk.Errno;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * A verifier for programs written in Java, after {@code kernel/bpf/verifier.c}: before a program is
 * loaded, every method it can reach is checked, and the first violation rejects it with
 * {@code -EINVAL} and a log naming the instruction and the rule, in the kernel's words:
 *
 * <ul>
 *   <li><b>Calls.</b> Only BPF helpers ({@code dev.ksim.sdk.bpf.Bpf}), map and ring-buffer records, the
 *       {@code Maccess} BPF functions, the program's own methods, the context's getters and side-effect
 *       free {@code java.lang} operations (strings, boxing, {@code Math}). A call that may sleep is
 *       {@code helper call might sleep in a non-sleepable prog}; another kernel API is
 *       {@code program of this type cannot use helper NAME#0}; anything else {@code unknown func NAME#0};
 *       a GPL-only helper from a program without a GPL-compatible license
 *       {@code cannot call GPL-restricted function from non-GPL compatible program}.</li>
 *   <li><b>Memory.</b> Kernel structures are read only inside {@code BPF_CORE_READ} (else
 *       {@code R1 invalid mem access 'scalar'}); the context is read-only
 *       ({@code invalid bpf_context access}); arrays have constant sizes within the 512-byte stack; no
 *       collections or other objects are created.</li>
 *   <li><b>Loops</b> must be bounded ({@link LoopCheck}); calls between the program's own methods may nest
 *       {@link #MAX_CALL_FRAMES} deep and not recurse ({@code the call stack of 9 frames is too deep !}).</li>
 *   <li><b>Size.</b> At most {@link #BPF_MAXINSNS} instructions ({@code -E2BIG}).</li>
 * </ul>
 */
final class BpfVerifier {
    /** {@code BPF_MAXINSNS}: the most instructions a program may have. */
    static final int BPF_MAXINSNS = 4096;
    /** {@code MAX_CALL_FRAMES}: the deepest chain of BPF-to-BPF calls. */
    static final int MAX_CALL_FRAMES = 8;
    /** {@code MAX_BPF_STACK}. */
    static final int MAX_BPF_STACK = 512;

    private static final String BPF = "dev/ksim/sdk/bpf/Bpf";
    private static final String MACCESS = "dev/ksim/sdk/Maccess";

    /** BPF helpers: the SDK's name → {@code func_id} and whether it is GPL-only, from {@code bpf.h}'s list. */
    private record Helper(String cName, int id, boolean gplOnly) {
    }

    private static final Map<String, Helper> HELPERS = Map.ofEntries(
            Map.entry("bpf_map_lookup_elem", new Helper("bpf_map_lookup_elem", 1, false)),
            Map.entry("bpf_map_update_elem", new Helper("bpf_map_update_elem", 2, false)),
            Map.entry("bpf_map_delete_elem", new Helper("bpf_map_delete_elem", 3, false)),
            Map.entry("bpf_ktime_get_ns", new Helper("bpf_ktime_get_ns", 5, false)),
            Map.entry("bpf_trace_printk", new Helper("bpf_trace_printk", 6, true)),
            Map.entry("bpf_printk", new Helper("bpf_trace_printk", 6, true)),
            Map.entry("bpf_get_prandom_u32", new Helper("bpf_get_prandom_u32", 7, false)),
            Map.entry("bpf_get_smp_processor_id", new Helper("bpf_get_smp_processor_id", 8, false)),
            Map.entry("bpf_get_current_pid_tgid", new Helper("bpf_get_current_pid_tgid", 14, false)),
            Map.entry("bpf_get_current_uid_gid", new Helper("bpf_get_current_uid_gid", 15, false)),
            Map.entry("bpf_get_current_comm", new Helper("bpf_get_current_comm", 16, false)),
            Map.entry("bpf_get_current_task", new Helper("bpf_get_current_task", 35, true)),
            Map.entry("bpf_probe_read_kernel", new Helper("bpf_probe_read_kernel", 113, true)),
            Map.entry("bpf_probe_read_kernel_str", new Helper("bpf_probe_read_kernel_str", 115, true)),
            Map.entry("BPF_CORE_READ", new Helper("bpf_probe_read_kernel", 113, true)),
            Map.entry("BPF_CORE_READ_INT", new Helper("bpf_probe_read_kernel", 113, true)),
            Map.entry("BPF_CORE_READ_LONG", new Helper("bpf_probe_read_kernel", 113, true)),
            Map.entry("bpf_ringbuf_output", new Helper("bpf_ringbuf_output", 130, false)),
            Map.entry("bpf_ringbuf_reserve", new Helper("bpf_ringbuf_reserve", 131, false)),
            Map.entry("bpf_ringbuf_submit", new Helper("bpf_ringbuf_submit", 132, false)),
            Map.entry("bpf_ringbuf_discard", new Helper("bpf_ringbuf_discard", 133, false)));

    /** {@code bpf_trace_vprintk}'s id (5.16). */
    private static final int BPF_FUNC_trace_vprintk = 177;

    private static final Set<String> MACCESS_BPF = Set.of("bpf_probe_read_kernel", "bpf_probe_read_kernel_str",
            "core_read", "core_read_int", "core_read_long", "bpf_core_read", "bpf_core_field_exists");
    private static final Set<String> CORE_READS = Set.of("BPF_CORE_READ", "BPF_CORE_READ_INT", "BPF_CORE_READ_LONG",
            "core_read", "core_read_int", "core_read_long");
    private static final Set<String> PURE_JAVA_LANG = Set.of("java/lang/String", "java/lang/Math",
            "java/lang/StrictMath", "java/lang/Integer", "java/lang/Long", "java/lang/Short", "java/lang/Byte",
            "java/lang/Character", "java/lang/Boolean", "java/lang/Number", "java/lang/CharSequence");
    private static final Set<String> SLEEPING_KERNEL = Set.of("msleep", "ssleep", "usleep_range", "schedule",
            "cond_resched", "might_sleep", "mutex_lock", "down", "copy_from_user", "copy_to_user");
    private static final Set<String> REGS_GETTERS = Set.of("instructionPointer", "stackPointer", "framePointer",
            "returnValue", "argumentRegisters", "kernelArgument", "arch");

    /**
     * What the verifier needs to know about the program and the kernel.
     *
     * @param gplCompatible whether the program's license is GPL-compatible
     * @param traceVprintk whether the kernel has {@code bpf_trace_vprintk} (5.16)
     * @param memRingbuf whether the kernel names ring-buffer pointers {@code ringbuf_mem} (6.1) rather than
     *     {@code mem}
     * @param tracePrintkProto called when the program uses {@code bpf_trace_printk} (the kernel's
     *     {@code bpf_get_trace_printk_proto()})
     */
    record Options(boolean gplCompatible, boolean traceVprintk, boolean memRingbuf, Runnable tracePrintkProto) {
    }

    /**
     * The verdict on one program.
     *
     * @param err 0, {@code -EINVAL} or {@code -E2BIG}
     * @param log the verifier log
     * @param insns the instructions of every method the program reaches
     */
    record Result(int err, String log, int insns) {
    }

    private final ProgramCode code;
    private final Options options;
    private final VerifierLog log = new VerifierLog();
    /** The program's own methods each checked method calls (lambda bodies included), by key. */
    private final Map<String, List<String>> calls = new java.util.HashMap<>();
    /** Lambda bodies passed straight to {@code BPF_CORE_READ}: where kernel structures may be read. */
    private final Set<String> coreReadBodies = new java.util.HashSet<>();

    private BpfVerifier(ProgramCode code, Options options) {
        this.code = code;
        this.options = options;
        for (MethodCode m : code.methods.values()) {
            m.lambdaTargets.forEach((at, target) -> {
                Insn next = at + 1 < m.insns.size() ? m.insns.get(at + 1) : null;
                if (next != null && next.opcode() == Opcodes.INVOKESTATIC && CORE_READS.contains(next.name())
                        && (next.owner().equals(BPF) || next.owner().equals(MACCESS))) {
                    coreReadBodies.add(target);
                }
            });
        }
    }

    /**
     * Checks the program whose entry is {@code entry} and every method it reaches.
     *
     * @param code the object's bytecode
     * @param entry the program's method, as {@code owner.name+desc}
     * @param options the license and kernel
     * @return the verdict
     */
    static Result verify(ProgramCode code, String entry, Options options) {
        return new BpfVerifier(code, options).run(entry);
    }

    /**
     * Checks code that runs in user space when the object is opened: the classes' static initializers,
     * which create the maps. They follow the programs' rules, except that they may create maps.
     *
     * @param code the object's bytecode
     * @param options the license and kernel
     * @return the verdict
     */
    static Result verifyInitializers(ProgramCode code, Options options) {
        BpfVerifier v = new BpfVerifier(code, options);
        for (MethodCode m : code.methods.values()) {
            if (m.name.equals("<clinit>")) {
                Result r = v.run(m.key());
                if (r.err() != 0) {
                    return r;
                }
            }
        }
        return new Result(0, v.log.text(), 0);
    }

    private Result run(String entry) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> work = new ArrayDeque<>();
        work.add(entry);
        int total = 0;
        while (!work.isEmpty()) {
            String key = work.poll();
            if (!seen.add(key)) {
                continue;
            }
            MethodCode m = code.methods.get(key);
            if (m == null) {
                continue;
            }
            total += m.insns.size();
            if (total > BPF_MAXINSNS) {
                return new Result(-Errno.E2BIG, log.text(), total);
            }
            if (code.synchronizedMethods.contains(key)) {
                log.line("function calls are not allowed while holding a lock");
                return new Result(-Errno.EINVAL, log.text(), total);
            }
            Deque<String> callees = new ArrayDeque<>();
            if (!checkMethod(m, callees) || !LoopCheck.check(m, log)
                    || !NullCheck.check(m, log, options.memRingbuf())) {
                return new Result(-Errno.EINVAL, log.text(), total);
            }
            calls.put(key, List.copyOf(callees));
            work.addAll(callees);
        }
        int frames = frames(entry, new java.util.HashSet<>(), 1);
        if (frames > MAX_CALL_FRAMES) {
            log.line("the call stack of " + frames + " frames is too deep !");
            return new Result(-Errno.EINVAL, log.text(), total);
        }
        return new Result(0, log.text(), total);
    }

    /**
     * {@code check_max_stack_depth()}'s frame count: the deepest chain of the program's own calls from
     * {@code key}, each method a frame; a recursive call never ends, so it counts as one frame too many.
     */
    private int frames(String key, Set<String> onPath, int depth) {
        if (depth > MAX_CALL_FRAMES) {
            return depth;
        }
        int deepest = depth;
        onPath.add(key);
        for (String callee : calls.getOrDefault(key, List.of())) {
            int d = onPath.contains(callee) ? MAX_CALL_FRAMES + 1 : frames(callee, onPath, depth + 1);
            deepest = Math.max(deepest, d);
            if (deepest > MAX_CALL_FRAMES) {
                break;
            }
        }
        onPath.remove(key);
        return deepest;
    }

    private boolean checkMethod(MethodCode m, Deque<String> calls) {
        boolean coreRead = coreReadBodies.contains(m.key());
        boolean init = m.name.equals("<clinit>");
        for (Insn in : m.insns) {
            String err = check(m, in, coreRead, init, calls);
            if (err != null) {
                log.insn(in);
                log.line(err);
                return false;
            }
        }
        return true;
    }

    /** @return null if the instruction is allowed, else the verifier's message */
    private String check(MethodCode m, Insn in, boolean coreRead, boolean init, Deque<String> calls) {
        int op = in.opcode();
        switch (op) {
            case Opcodes.INVOKESTATIC, Opcodes.INVOKEVIRTUAL, Opcodes.INVOKESPECIAL, Opcodes.INVOKEINTERFACE -> {
                return call(m, in, coreRead, init, calls);
            }
            case Opcodes.INVOKEDYNAMIC -> {
                String target = m.lambdaTargets.get(in.index());
                if (target != null) {
                    if (code.classes.contains(target.substring(0, target.indexOf('.')))) {
                        calls.add(target);
                        return null;
                    }
                    return unknown(target.substring(0, target.indexOf('.')), target.substring(target.indexOf('.') + 1,
                            target.indexOf('(')));
                }
                String bsm = in.owner();
                if (bsm.equals("java/lang/invoke/StringConcatFactory") || bsm.equals("java/lang/runtime/ObjectMethods")) {
                    return null;
                }
                return unknown(bsm, in.name());
            }
            case Opcodes.NEW -> {
                return newObject(in.owner(), init);
            }
            case Opcodes.NEWARRAY, Opcodes.ANEWARRAY -> {
                return newArray(m, in);
            }
            case Opcodes.MULTIANEWARRAY -> {
                return "R1 unbounded memory access, make sure to bounds check any such access";
            }
            case Opcodes.MONITORENTER -> {
                return "function calls are not allowed while holding a lock";
            }
            case Opcodes.GETSTATIC, Opcodes.PUTSTATIC -> {
                String o = in.owner();
                return code.classes.contains(o) || o.equals(BPF) ? null : unknown(o, in.name());
            }
            case Opcodes.PUTFIELD -> {
                if (in.owner().endsWith("PtRegs")) {
                    return "invalid bpf_context access off=0 size=8";
                }
                return code.classes.contains(in.owner()) ? null : unknown(in.owner(), in.name());
            }
            case Opcodes.GETFIELD -> {
                String o = in.owner();
                return code.classes.contains(o) || o.startsWith("dev/ksim/sdk/linux/") || o.endsWith("PtRegs")
                        ? null : unknown(o, in.name());
            }
            default -> {
                return null;
            }
        }
    }

    private String call(MethodCode m, Insn in, boolean coreRead, boolean init, Deque<String> calls) {
        String owner = in.owner();
        String name = in.name();
        if (code.classes.contains(owner)) {
            calls.add(owner + "." + name + in.desc());
            return null;
        }
        if (owner.equals(BPF)) {
            Helper h = HELPERS.get(name);
            if (h == null) {
                return unknown(owner, name);
            }
            if (h.gplOnly() && !options.gplCompatible()) {
                return "cannot call GPL-restricted function from non-GPL compatible program";
            }
            if (name.equals("bpf_printk") || name.equals("bpf_trace_printk")) {
                if (name.equals("bpf_printk") && varargsBefore(m, in) > 3 && !options.traceVprintk()) {
                    return "invalid func unknown#" + BPF_FUNC_trace_vprintk;
                }
                options.tracePrintkProto().run();
            }
            return null;
        }
        if (owner.equals(MACCESS)) {
            return MACCESS_BPF.contains(name) ? null : sdkApi(owner, name);
        }
        if (owner.equals("dev/ksim/sdk/bpf/BpfRingBuf$Reservation")) {
            return name.equals("set") || name.equals("get") ? null : unknown(owner, name);
        }
        if (owner.startsWith("dev/ksim/sdk/bpf/Bpf") && name.equals("<init>")) {
            return init ? null : unknown(owner, name);
        }
        if (owner.startsWith("dev/ksim/sdk/linux/")) {
            if (name.equals("<init>") || name.equals("isNull") || name.equals("addrOf") || name.equals("offsetof")
                    || coreRead) {
                return null;
            }
            return "R1 invalid mem access 'scalar'";
        }
        if (owner.equals("dev/ksim/sdk/PtRegs") || owner.equals("dev/ksim/sdk/X86PtRegs")
                || owner.equals("dev/ksim/sdk/Arm64PtRegs")) {
            return REGS_GETTERS.contains(name) ? null : "invalid bpf_context access off=0 size=8";
        }
        if (sleeps(owner, name)) {
            return "helper call might sleep in a non-sleepable prog";
        }
        if (owner.startsWith("dev/ksim/sdk/")) {
            return sdkApi(owner, name);
        }
        if (PURE_JAVA_LANG.contains(owner) && !name.equals("intern")) {
            return null;
        }
        if ((owner.equals("java/lang/Object") || owner.equals("java/lang/Record")) && name.equals("<init>")) {
            return null;
        }
        return unknown(owner, name);
    }

    /** The constant length of the {@code Object[]} built for a varargs call, or -1. */
    private static int varargsBefore(MethodCode m, Insn call) {
        for (int i = call.index() - 1; i > 0; i--) {
            Insn in = m.insns.get(i);
            if (in.opcode() == Opcodes.ANEWARRAY && "java/lang/Object".equals(in.owner())) {
                Insn size = m.insns.get(i - 1);
                return size.constant() ? size.intOperand() : -1;
            }
            if (in.opcode() >= Opcodes.INVOKEVIRTUAL && in.opcode() <= Opcodes.INVOKEINTERFACE
                    && in.name() != null && in.name().startsWith("bpf_")) {
                return -1;
            }
        }
        return -1;
    }

    private static boolean sleeps(String owner, String name) {
        return (owner.equals("dev/ksim/sdk/Kernel") && SLEEPING_KERNEL.contains(name))
                || owner.equals("dev/ksim/sdk/Mutex") || owner.equals("dev/ksim/sdk/Semaphore")
                || (owner.equals("java/lang/Thread") && (name.equals("sleep") || name.equals("join")))
                || (owner.equals("java/lang/Object") && name.equals("wait"))
                || owner.startsWith("java/util/concurrent/locks/");
    }

    private String newObject(String type, boolean init) {
        if (code.classes.contains(type) || type.startsWith("dev/ksim/sdk/linux/") || type.equals("java/lang/String")) {
            return null;
        }
        if (init && type.startsWith("dev/ksim/sdk/bpf/Bpf")) {
            return null;
        }
        return type.startsWith("dev/ksim/sdk/") ? sdkApi(type, "<init>") : unknown(type, "<init>");
    }

    private static String newArray(MethodCode m, Insn in) {
        Insn size = in.index() > 0 ? m.insns.get(in.index() - 1) : null;
        if (size == null || !size.constant()) {
            return "R1 unbounded memory access, make sure to bounds check any such access";
        }
        int elem = in.opcode() == Opcodes.ANEWARRAY ? 8 : switch (in.intOperand()) {
            case Opcodes.T_BOOLEAN, Opcodes.T_BYTE -> 1;
            case Opcodes.T_CHAR, Opcodes.T_SHORT -> 2;
            case Opcodes.T_INT, Opcodes.T_FLOAT -> 4;
            default -> 8;
        };
        long bytes = (long) size.intOperand() * elem;
        if (bytes > MAX_BPF_STACK) {
            return "combined stack size of 1 calls is " + bytes + ". Too large";
        }
        return null;
    }

    private static String sdkApi(String owner, String name) {
        return "program of this type cannot use helper " + owner.substring(owner.lastIndexOf('/') + 1) + "." + name
                + "#0";
    }

    private static String unknown(String owner, String name) {
        return "unknown func " + owner.replace('/', '.') + "." + name + "#0";
    }
}
