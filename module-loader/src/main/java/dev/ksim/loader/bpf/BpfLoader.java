package dev.ksim.loader.bpf;

import dev.ksim.kernel.SimKernel;
import dev.ksim.loader.image.CompileException;
import dev.ksim.loader.image.ModuleNames;
import dev.ksim.loader.weave.ModuleClassLoader;
import dev.ksim.loader.weave.SandboxClassLoader;
import dev.ksim.sdk.Errno;
import dev.ksim.sdk.bpf.BpfMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * libbpf's loader and the kernel's {@code bpf(2)} for one simulated kernel: opens a BPF object (a
 * {@code .java} file compiled as {@code .java} modules are, or a jar), finds its programs
 * ({@code @SEC("kprobe/…")}, {@code @SEC("kretprobe/…")}), its license and its maps, verifies every
 * program ({@link BpfVerifier}), creates the maps, and attaches each program through the kernel's kprobe
 * engine (so the blacklist, its errnos, {@code nmissed} and {@code /sys/kernel/debug/kprobes/list}
 * apply). Loading is all or nothing: if any step fails, nothing stays attached and the reasons are
 * printed as libbpf prints them ({@code libbpf: prog 'x': failed to load: -22}).
 *
 * <p>A program runs in the probe's handler with the kernel's {@code trace_call_bpf()} rule: if a BPF
 * program is already running on the CPU ({@code bpf_prog_active}), the hit is skipped and counted in the
 * program's {@code recursion_misses}.
 */
public final class BpfLoader {
    /** The loader of each running kernel; guarded by itself. */
    private static final Map<SimKernel, BpfLoader> LOADERS = new HashMap<>();

    private final SimKernel k;
    private final SandboxClassLoader sandbox = new SandboxClassLoader(BpfLoader.class.getClassLoader());
    /** Loaded objects by name, in load order; guarded by {@code this}. */
    private final Map<String, BpfObject> objects = new LinkedHashMap<>();
    /** The next {@code prog_idr} and {@code map_idr} ids; guarded by {@code this}. */
    private int nextProgId = 1;
    private int nextMapId = 1;
    private final ProgramRunner runner;

    private BpfLoader(SimKernel k) {
        this.k = k;
        this.runner = new ProgramRunner(k);
    }

    /**
     * @param k a kernel
     * @return its BPF loader, created on first use
     */
    public static BpfLoader of(SimKernel k) {
        synchronized (LOADERS) {
            // Halted kernels are dropped here, so a loader and its kernel do not outlive the kernel's use.
            LOADERS.keySet().removeIf(SimKernel::isClosed);
            return LOADERS.computeIfAbsent(k, BpfLoader::new);
        }
    }

    /**
     * The outcome of a load.
     *
     * @param err 0 or a negative errno
     * @param object the loaded object, or null
     * @param log what libbpf printed (the verifier log and the errors), empty on success
     */
    public record LoadResult(int err, BpfObject object, String log) {
    }

    /**
     * Opens, loads and attaches a BPF object file.
     *
     * @param path the file: {@code .java} or a jar
     * @param asGiven the path as the user typed it
     * @return the outcome
     * @throws IOException if the file cannot be read
     * @throws CompileException if a {@code .java} file does not compile
     */
    public LoadResult load(Path path, String asGiven) throws IOException, CompileException {
        Map<String, byte[]> classes = ObjectFile.classes(path, asGiven);
        if (classes == null) {
            return new LoadResult(-Errno.EINVAL, null, "libbpf: failed to open " + asGiven + ": not a .java file or a jar\n");
        }
        return load(ModuleNames.fromFileName(path.getFileName().toString()), asGiven, classes);
    }

    /**
     * Loads and attaches a BPF object from class files.
     *
     * @param name the object's name
     * @param file the file it came from (for messages)
     * @param classFiles its classes by internal name
     * @return the outcome
     */
    public LoadResult load(String name, String file, Map<String, byte[]> classFiles) {
        StringBuilder libbpf = new StringBuilder();
        synchronized (this) {
            if (objects.containsKey(name)) {
                libbpf.append("libbpf: object '").append(name).append("' is already loaded\n");
                return new LoadResult(-Errno.EEXIST, null, libbpf.toString());
            }
        }
        ProgramCode code = new ProgramCode(classFiles);
        Map<String, byte[]> binary = new LinkedHashMap<>();
        classFiles.forEach((c, b) -> binary.put(c.replace('/', '.'), b));
        ModuleClassLoader cl = new ModuleClassLoader("bpf:" + name, binary, Map.of(), sandbox);
        List<Class<?>> classes = new ArrayList<>();
        try {
            for (String c : binary.keySet()) {
                classes.add(Class.forName(c, false, cl));
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            libbpf.append("libbpf: failed to open object '").append(name).append("': ").append(e).append('\n');
            return new LoadResult(-Errno.ENOEXEC, null, libbpf.toString());
        }

        String license = Sections.license(code, classes);
        boolean gpl = Sections.gplCompatible(license);
        List<Sections.ProgramSpec> specs = new ArrayList<>();
        int err = Sections.programs(code, classes, specs, libbpf);
        if (err == 0 && specs.isEmpty()) {
            libbpf.append("libbpf: ").append(name).append(": no programs: no method has @SEC(\"kprobe/…\")"
                    + " or @SEC(\"kretprobe/…\")\n");
            err = -Errno.ENOENT;
        }
        if (err < 0) {
            return failed(name, err, libbpf);
        }

        BpfVerifier.Options vo = new BpfVerifier.Options(gpl, k.profile().bpfTraceVprintk(),
                k.profile().bpfMemRingbuf(), k.bpfPrintk()::bpf_get_trace_printk_proto);
        BpfVerifier.Result init = BpfVerifier.verifyInitializers(code, vo);
        if (init.err() != 0) {
            return rejected(name, "<clinit>", init, libbpf);
        }
        List<BpfVerifier.Result> verdicts = new ArrayList<>();
        for (Sections.ProgramSpec s : specs) {
            BpfVerifier.Result r = BpfVerifier.verify(code, s.key(), vo);
            if (r.err() != 0) {
                return rejected(name, s.name(), r, libbpf);
            }
            verdicts.add(r);
        }

        ObjectMaps maps = ObjectMaps.create(k, classes, libbpf);
        if (maps.err() < 0) {
            return failed(name, maps.err(), libbpf);
        }

        List<BpfProgram> programs = new ArrayList<>();
        synchronized (this) {
            if (objects.containsKey(name)) {
                libbpf.append("libbpf: object '").append(name).append("' is already loaded\n");
                return new LoadResult(-Errno.EEXIST, null, libbpf.toString());
            }
            List<Integer> mapIds = new ArrayList<>();
            for (int i = 0; i < maps.maps().size(); i++) {
                maps.maps().get(i).create(nextMapId, maps.names().get(i));
                mapIds.add(nextMapId++);
            }
            Instant now = Instant.now();
            for (int i = 0; i < specs.size(); i++) {
                Sections.ProgramSpec s = specs.get(i);
                programs.add(new BpfProgram(nextProgId++, s.name(), s.section(), s.target(), s.offset(), s.retprobe(),
                        tag(classFiles.get(s.owner()), s.key()), verdicts.get(i).insns(), gpl, now, mapIds, s.args()));
            }
            // Reserve the name so a concurrent load of the same object fails; removed if attaching fails.
            objects.put(name, new BpfObject(name, file, license, programs, maps.maps()));
        }
        int e = attachAll(programs, libbpf);
        synchronized (this) {
            if (e < 0) {
                objects.remove(name);
                return new LoadResult(e, null, libbpf.toString());
            }
            return new LoadResult(0, objects.get(name), "");
        }
    }

    /** libbpf's auto-attach: all programs, or none (those attached are detached again). */
    private int attachAll(List<BpfProgram> programs, StringBuilder libbpf) {
        for (int i = 0; i < programs.size(); i++) {
            int e = runner.attach(programs.get(i));
            if (e < 0) {
                BpfProgram p = programs.get(i);
                libbpf.append("libbpf: prog '").append(p.name()).append("': failed to create ")
                        .append(p.retprobe() ? "kretprobe" : "kprobe").append(" '").append(p.target()).append("+0x")
                        .append(Long.toHexString(p.offset())).append("' perf event: ").append(Errno.strerror(e))
                        .append('\n');
                libbpf.append("libbpf: prog '").append(p.name()).append("': failed to auto-attach: ").append(e)
                        .append('\n');
                for (int j = 0; j < i; j++) {
                    runner.detach(programs.get(j));
                }
                return e;
            }
        }
        return 0;
    }

    private static LoadResult rejected(String object, String prog, BpfVerifier.Result r, StringBuilder libbpf) {
        libbpf.append("libbpf: prog '").append(prog).append("': BPF program load failed: ")
                .append(Errno.strerror(r.err())).append('\n');
        if (!r.log().isEmpty()) {
            libbpf.append("libbpf: prog '").append(prog).append("': -- BEGIN PROG LOAD LOG --\n").append(r.log())
                    .append("-- END PROG LOAD LOG --\n");
        }
        libbpf.append("libbpf: prog '").append(prog).append("': failed to load: ").append(r.err()).append('\n');
        return failed(object, r.err(), libbpf);
    }

    private static LoadResult failed(String object, int err, StringBuilder libbpf) {
        libbpf.append("libbpf: failed to load object '").append(object).append("'\n");
        return new LoadResult(err, null, libbpf.toString());
    }

    /** The program's tag: 8 bytes of a SHA-1 of its class and name, as 16 hex digits. */
    private static String tag(byte[] classFile, String key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-1");
            sha.update(classFile);
            byte[] d = sha.digest(key.getBytes(StandardCharsets.UTF_8));
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                b.append(String.format("%02x", d[i]));
            }
            return b.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- unload and queries

    /**
     * Detaches and unloads an object's programs and frees its maps.
     *
     * @param name the object's name
     * @return 0, or {@code -ENOENT} if no such object is loaded
     */
    public int unload(String name) {
        BpfObject o;
        synchronized (this) {
            o = objects.get(name);
            if (o == null) {
                return -Errno.ENOENT;
            }
        }
        for (BpfProgram p : o.programs()) {
            runner.detach(p);
        }
        synchronized (this) {
            objects.remove(name);
        }
        return 0;
    }

    /** @return the loaded objects, in load order */
    public synchronized List<BpfObject> objects() {
        return List.copyOf(objects.values());
    }

    /**
     * @param name an object's name
     * @return the object, or null
     */
    public synchronized BpfObject object(String name) {
        return objects.get(name);
    }

    /**
     * Finds a map by id (a number) or by name, as {@code bpftool map dump id N} / {@code name NAME} does.
     *
     * @param idOrName the id or the name
     * @return the map, or null
     */
    public synchronized BpfMap map(String idOrName) {
        for (BpfObject o : objects.values()) {
            for (BpfMap m : o.maps()) {
                if (m.name().equals(idOrName) || String.valueOf(m.id()).equals(idOrName)) {
                    return m;
                }
            }
        }
        return null;
    }
}
