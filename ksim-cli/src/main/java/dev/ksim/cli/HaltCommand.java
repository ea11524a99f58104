package dev.ksim.cli;

import dev.ksim.cli.daemon.Client;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code ksim halt}: stops the kernel {@code ksim boot} started. */
@Command(mixinStandardHelpOptions = true, name = "halt", description = "Stop the booted kernel.")
public final class HaltCommand implements Callable<Integer> {
    @ParentCommand
    KsimCommand root;

    /** For picocli. */
    public HaltCommand() {
    }

    @Override
    public Integer call() {
        long pid = Client.running(root.env());
        java.io.PrintStream out = new java.io.PrintStream(new WriterOutput(root.out()), true);
        java.io.PrintStream err = new java.io.PrintStream(new WriterOutput(root.err()), true);
        int status = Client.forward(root.env(), List.of("halt"), out, err);
        if (status == 0 && pid > 0) {
            ProcessHandle.of(pid).ifPresent(p -> {
                try {
                    p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    // it will go away shortly
                }
            });
        }
        return status;
    }

    /** Bytes to a writer (the client writes bytes; the root command holds writers). */
    static final class WriterOutput extends java.io.OutputStream {
        private final java.io.PrintWriter w;

        WriterOutput(java.io.PrintWriter w) {
            this.w = w;
        }

        @Override
        public void write(int b) {
            w.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            w.write(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            w.flush();
        }
    }
}
