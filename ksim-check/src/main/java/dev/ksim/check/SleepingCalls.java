package dev.ksim.check;

import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import java.util.Map;
import java.util.Set;

/**
 * The calls that may sleep, and so must not run in a probe handler (atomic context): the SDK's sleeping
 * functions, as {@code dev.ksim.sdk.Kernel} documents them, the kprobes API's (un)registration and
 * enabling, which takes {@code kprobe_mutex}, and the JDK's blocking calls, which the loader's weaver
 * checks at run time as {@code might_sleep()}.
 */
final class SleepingCalls {
    private static final String KERNEL = "dev.ksim.sdk.Kernel";

    /** SDK functions that always may sleep, with why (the kernel function that sleeps). */
    private static final Map<String, String> SDK = Map.ofEntries(
            Map.entry("might_sleep", "might_sleep() declares that the caller may sleep"),
            Map.entry("msleep", "msleep() sleeps"),
            Map.entry("ssleep", "ssleep() sleeps"),
            Map.entry("usleep_range", "usleep_range() sleeps"),
            Map.entry("schedule", "schedule() gives the CPU away"),
            Map.entry("cond_resched", "cond_resched() may reschedule"),
            Map.entry("mutex_lock", "mutex_lock() may sleep until the mutex is free"),
            Map.entry("down", "down() may sleep until the semaphore is free"),
            Map.entry("copy_from_user", "copy_from_user() may fault a user page in (might_fault)"),
            Map.entry("copy_to_user", "copy_to_user() may fault a user page in (might_fault)"));

    /** Blocking JDK methods by declaring type. */
    private static final Map<String, Set<String>> JDK = Map.of(
            "java.lang.Thread", Set.of("sleep", "join"),
            "java.util.concurrent.TimeUnit", Set.of("sleep", "timedJoin", "timedWait"),
            "java.lang.Object", Set.of("wait"),
            "java.util.concurrent.locks.LockSupport", Set.of("park", "parkNanos", "parkUntil"));

    private SleepingCalls() {
    }

    /**
     * @param name a method's name
     * @return whether some blocking JDK method has it (so a call of that name is worth resolving)
     */
    static boolean jdkMethodName(String name) {
        return JDK.values().stream().anyMatch(s -> s.contains(name)) || name.equals("lock")
                || name.equals("lockInterruptibly") || name.startsWith("await") || name.equals("readLock")
                || name.equals("writeLock");
    }

    /**
     * @param callee the method called
     * @param call the call
     * @return why it may sleep, or {@code null} if it does not
     */
    static String reason(Callee.External callee, MethodCallExpr call) {
        String t = callee.type();
        String m = callee.method();
        if (t.equals(KERNEL)) {
            if (SDK.containsKey(m)) {
                return SDK.get(m);
            }
            if ((m.equals("kmalloc") || m.equals("kzalloc")) && call.getArguments().size() == 2
                    && mentionsGfpKernel(call.getArgument(1))) {
                return m + "(GFP_KERNEL) may sleep to reclaim memory; use GFP_ATOMIC in a handler";
            }
            return null;
        }
        if (t.equals("dev.ksim.sdk.Kprobes") && (m.startsWith("register_") || m.startsWith("unregister_")
                || m.startsWith("enable_") || m.startsWith("disable_"))) {
            return m + "() takes kprobe_mutex and may sleep";
        }
        if (JDK.getOrDefault(t, Set.of()).contains(m)) {
            return callee.display() + " blocks the thread";
        }
        boolean locks = t.startsWith("java.util.concurrent.locks.") && !t.endsWith(".LockSupport");
        if (locks && (m.equals("lock") || m.equals("lockInterruptibly") || m.startsWith("await")
                || (t.endsWith(".StampedLock") && (m.equals("readLock") || m.equals("writeLock"))))) {
            return callee.display() + " blocks until it is signalled or the lock is free";
        }
        return null;
    }

    private static boolean mentionsGfpKernel(Expression flags) {
        return flags.findFirst(com.github.javaparser.ast.expr.SimpleName.class,
                n -> n.asString().equals("GFP_KERNEL")).isPresent();
    }
}
