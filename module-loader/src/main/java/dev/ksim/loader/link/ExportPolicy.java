package dev.ksim.loader.link;

import java.util.Set;

/**
 * What the simulated kernel exports to modules: the SDK ({@code dev.ksim.sdk}) and a safe subset of the
 * JDK. Everything else — the simulator's own classes, reflection, class loaders, threads, processes,
 * {@code System.exit}, files and sockets — is not exported, so a module naming it fails to load with
 * {@code Unknown symbol}, as a C module calling an unexported kernel function does.
 *
 * <p>The kprobes API is {@code EXPORT_SYMBOL_GPL}: {@link #gplOnly} names the SDK functions only a module
 * with a GPL-compatible license may use.
 */
public final class ExportPolicy {
    /** Packages exported whole (the classes directly in them, not sub-packages). */
    private static final Set<String> PACKAGES = Set.of("java/util/function", "java/util/stream", "java/util/regex",
            "java/util/concurrent/atomic", "java/util/concurrent/locks", "java/time", "java/time/format",
            "java/time/temporal", "java/time/chrono", "java/math", "java/text", "java/lang/annotation");

    /** Classes of java/lang exported (with any nested classes); the members of a few are restricted below. */
    private static final Set<String> LANG = Set.of("Object", "String", "StringBuilder", "StringBuffer", "Math",
            "StrictMath", "Integer", "Long", "Short", "Byte", "Character", "Boolean", "Float", "Double", "Number",
            "Enum", "Record", "Iterable", "Comparable", "CharSequence", "AutoCloseable", "Runnable", "Cloneable",
            "Void", "Override", "Deprecated", "FunctionalInterface", "SuppressWarnings", "SafeVarargs", "Throwable",
            "StackTraceElement", "Appendable", "System", "Class", "Thread");

    /** Classes of java.util not exported: timers (threads), service and resource loading. */
    private static final Set<String> UTIL_FORBIDDEN = Set.of("Timer", "TimerTask", "ServiceLoader", "ResourceBundle",
            "PropertyResourceBundle", "ListResourceBundle", "Scanner");

    private static final Set<String> CONCURRENT = Set.of("ConcurrentHashMap", "ConcurrentMap",
            "ConcurrentNavigableMap", "ConcurrentLinkedQueue", "ConcurrentLinkedDeque", "CopyOnWriteArrayList",
            "CopyOnWriteArraySet", "ConcurrentSkipListMap", "ConcurrentSkipListSet", "TimeUnit", "ThreadLocalRandom");

    private static final Set<String> NIO = Set.of("java/nio/Buffer", "java/nio/ByteBuffer", "java/nio/ByteOrder",
            "java/nio/CharBuffer", "java/nio/ShortBuffer", "java/nio/IntBuffer", "java/nio/LongBuffer",
            "java/nio/FloatBuffer", "java/nio/DoubleBuffer", "java/nio/BufferOverflowException",
            "java/nio/BufferUnderflowException", "java/nio/ReadOnlyBufferException", "java/nio/InvalidMarkException",
            "java/nio/charset/Charset", "java/nio/charset/StandardCharsets", "java/io/Serializable",
            "java/io/Closeable");

    /**
     * The only members of java.lang.Thread a module may use: sleeping (which the weaver checks as
     * {@code might_sleep()}), spinning and the interrupt flag — no thread creation.
     */
    private static final Set<String> THREAD = Set.of("sleep", "onSpinWait", "currentThread", "interrupt",
            "isInterrupted", "interrupted");

    /** The only members of java.lang.System a module may use. */
    private static final Set<String> SYSTEM = Set.of("arraycopy", "nanoTime", "currentTimeMillis", "identityHashCode",
            "lineSeparator");

    /** The only members of java.lang.Class a module may use: naming and type tests, no reflection. */
    private static final Set<String> CLASS = Set.of("getName", "getSimpleName", "getTypeName", "getCanonicalName",
            "getPackageName", "desiredAssertionStatus", "isInstance", "cast", "isArray", "getComponentType",
            "isInterface", "isEnum", "isRecord", "isPrimitive", "isAssignableFrom", "hashCode", "equals", "toString");

    /** Bootstrap methods javac emits for lambdas, string concatenation, records and switches. */
    private static final Set<String> BOOTSTRAPS = Set.of("java/lang/invoke/LambdaMetafactory.metafactory",
            "java/lang/invoke/LambdaMetafactory.altMetafactory", "java/lang/invoke/StringConcatFactory.makeConcat",
            "java/lang/invoke/StringConcatFactory.makeConcatWithConstants", "java/lang/runtime/ObjectMethods.bootstrap",
            "java/lang/runtime/SwitchBootstraps.typeSwitch", "java/lang/runtime/SwitchBootstraps.enumSwitch");

    /** The policy; stateless. */
    public static final ExportPolicy INSTANCE = new ExportPolicy();

    private ExportPolicy() {
    }

    /**
     * @param internal a class's internal name
     * @return whether modules may name it at all
     */
    public boolean exportsClass(String internal) {
        if (internal.startsWith("dev/ksim/sdk/")) {
            return true;
        }
        int slash = internal.lastIndexOf('/');
        if (slash < 0) {
            return false;
        }
        String pkg = internal.substring(0, slash);
        String simple = internal.substring(slash + 1);
        String top = simple.contains("$") ? simple.substring(0, simple.indexOf('$')) : simple;
        if (pkg.equals("java/lang")) {
            return LANG.contains(top) || top.endsWith("Exception") || top.endsWith("Error");
        }
        if (pkg.equals("java/util")) {
            return !UTIL_FORBIDDEN.contains(top);
        }
        if (pkg.equals("java/util/concurrent")) {
            return CONCURRENT.contains(top);
        }
        return PACKAGES.contains(pkg) || NIO.contains(internal) || NIO.contains(pkg + "/" + top);
    }

    /**
     * Whether a member of an exported class is exported too.
     *
     * @param owner the class (exported)
     * @param name the member's name
     * @return true unless the member is one of the few withheld: System beyond time and arrays, Class
     *     reflection, stack traces printed to the host's stderr, system properties, parallel streams
     */
    public boolean exportsMember(String owner, String name) {
        switch (owner) {
            case "java/lang/System":
                return SYSTEM.contains(name);
            case "java/lang/Class":
                return CLASS.contains(name);
            case "java/lang/Thread":
                return THREAD.contains(name);
            case "java/lang/Integer", "java/lang/Long", "java/lang/Boolean":
                if (name.equals("getInteger") || name.equals("getLong") || name.equals("getBoolean")) {
                    return false;
                }
                break;
            default:
                break;
        }
        if (owner.startsWith("java/") && (name.equals("printStackTrace") || name.startsWith("parallel"))) {
            return false;
        }
        return true;
    }

    /**
     * @param owner a bootstrap method's class
     * @param name its name
     * @return whether javac-generated call sites may use it
     */
    public boolean exportsBootstrap(String owner, String name) {
        return BOOTSTRAPS.contains(owner + "." + name);
    }

    /**
     * {@code EXPORT_SYMBOL_GPL}: the kprobes API (register, unregister, enable and disable functions and
     * {@code jprobe_return}) and {@code copy_from_kernel_nofault}.
     *
     * @param owner the member's class
     * @param name the member's name
     * @return whether only GPL-compatible modules may use it
     */
    public boolean gplOnly(String owner, String name) {
        if (!owner.equals("dev/ksim/sdk/Kprobes") && !owner.equals("dev/ksim/sdk/spi/KernelServices")
                && !owner.equals("dev/ksim/sdk/Maccess")) {
            return false;
        }
        return name.startsWith("register_") || name.startsWith("unregister_") || name.startsWith("enable_")
                || name.startsWith("disable_") || name.equals("jprobe_return") || name.equals("copy_from_kernel_nofault")
                || name.equals("copy_from_user_nofault") || name.equals("strncpy_from_user_nofault");
    }
}
