package dev.ksim.kernel.trace;

import dev.ksim.kernel.KernelTestSupport;
import dev.ksim.kernel.proc.Process;
import dev.ksim.sdk.Errno;
import java.nio.charset.StandardCharsets;

/** Writes tracefs files as the shell's {@code echo … > FILE} and {@code >> FILE} do: open, write, close. */
abstract class TracefsTestSupport extends KernelTestSupport {
    static final String T = "/sys/kernel/tracing/";

    /** The shell process the redirections run in. */
    Process sh;

    Process shell() {
        if (sh == null) {
            sh = k.spawn("/bin/sh");
        }
        return sh;
    }

    /** {@code echo TEXT > FILE}: 0, or the negative errno of the open or the write. */
    int echo(String text, String file) {
        return redirect(text, file, false);
    }

    /** {@code echo TEXT >> FILE}. */
    int append(String text, String file) {
        return redirect(text, file, true);
    }

    private int redirect(String text, String file, boolean append) {
        Process p = shell();
        int flags = Process.O_WRONLY | Process.O_CREAT | (append ? Process.O_APPEND : Process.O_TRUNC);
        long fd = p.open(file.startsWith("/") ? file : T + file, flags, 0666);
        if (fd < 0) {
            return (int) fd;
        }
        try {
            long r = p.write((int) fd, (text + "\n").getBytes(StandardCharsets.UTF_8));
            return r < 0 ? (int) r : 0;
        } finally {
            p.close((int) fd);
        }
    }

    String cat(String file) {
        return k.read(file.startsWith("/") ? file : T + file);
    }

    /** Opens and closes a file from the shell (an {@code open} that fires {@code do_sys_openat2}). */
    void openClose(String path) {
        Process p = shell();
        long fd = p.open(path, Process.O_RDONLY, 0);
        if (fd >= 0) {
            p.close((int) fd);
        }
    }

    /** A {@code trace} line: {@code comm-pid [cpu] flags seconds.micros: body}. */
    static final java.util.regex.Pattern LINE = java.util.regex.Pattern.compile(
            "^ *(\\S+)-(\\d+) +\\[(\\d{3})\\] (\\S{4,5}) +(\\d+\\.\\d{6}): (.*)$");

    /** @return the event parts of the {@code trace} file's lines, oldest first */
    java.util.List<String> events() {
        return bodies(cat("trace"));
    }

    static java.util.List<String> bodies(String trace) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String l : trace.split("\n")) {
            if (l.startsWith("#") || l.isEmpty()) {
                continue;
            }
            java.util.regex.Matcher m = LINE.matcher(l);
            if (!m.matches()) {
                throw new AssertionError("not a trace line: " + l);
            }
            out.add(m.group(6));
        }
        return out;
    }

    static String strerror(int e) {
        return Errno.strerror(e);
    }
}
