package dev.ksim.cli.daemon;

import dev.ksim.cli.KsimEnv;
import dev.ksim.cli.shell.Interpreter;
import dev.ksim.cli.shell.KernelHost;
import dev.ksim.cli.shell.KernelSpec;
import dev.ksim.cli.shell.Session;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A booted kernel in the background ({@code ksim boot}): it listens on the state directory's UNIX-domain
 * socket (readable by its user only) and runs each connection's command in a session of its own, as if
 * typed in a terminal on that machine, until {@code ksim halt}.
 */
public final class Daemon {
    private final KernelHost host;
    private final StateDir state;
    private final ServerSocketChannel server;
    private volatile boolean halting;

    private Daemon(KernelHost host, StateDir state, ServerSocketChannel server) {
        this.host = host;
        this.state = state;
        this.server = server;
    }

    /**
     * Boots a kernel and serves commands until halted.
     *
     * @param spec the kernel
     * @param env the paths
     * @param log where the daemon reports
     * @return 0 once halted, 1 if it could not start
     */
    public static int run(KernelSpec spec, KsimEnv env, PrintStream log) {
        StateDir state = new StateDir(env.stateDir());
        try {
            Files.createDirectories(state.dir());
            if (state.connect() != null) {
                log.println("ksim: a kernel is already running (pid " + state.pid() + ")");
                return 1;
            }
            Files.deleteIfExists(state.socket());
            KernelHost host = KernelHost.boot(spec, env);
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(state.socket()));
            try {
                Files.setPosixFilePermissions(state.socket(), PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException | IOException e) {
                // Not a POSIX file system: the directory's permissions protect it.
            }
            Files.writeString(state.pidFile(), ProcessHandle.current().pid() + "\n");
            log.println("ksim: kernel " + spec.release() + " (" + spec.arch() + ", " + spec.cpus() + " CPUs) listening on "
                    + state.socket());
            log.flush();
            new Daemon(host, state, server).serve();
            return 0;
        } catch (IOException e) {
            log.println("ksim: cannot start the kernel: " + e);
            return 1;
        }
    }

    private void serve() throws IOException {
        try {
            while (!halting) {
                SocketChannel ch;
                try {
                    ch = server.accept();
                } catch (ClosedChannelException e) {
                    break;
                }
                Thread t = new Thread(() -> handle(ch), "ksim-conn");
                t.setDaemon(true);
                t.start();
            }
        } finally {
            host.close();
            Files.deleteIfExists(state.socket());
            Files.deleteIfExists(state.pidFile());
        }
    }

    private void handle(SocketChannel ch) {
        try (ch) {
            InputStream rawIn = Wire.in(ch);
            DataInputStream in = new DataInputStream(rawIn);
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Wire.out(ch)));
            Wire.Request rq = Wire.readRequest(in);
            if (rq.args().equals(List.of("halt"))) {
                Wire.writeExit(out, 0);
                halting = true;
                server.close();
                return;
            }
            PrintWriter o = new PrintWriter(new OutputStreamWriter(new Wire.FrameStream(out, Wire.OUT), StandardCharsets.UTF_8));
            PrintWriter e = new PrintWriter(new OutputStreamWriter(new Wire.FrameStream(out, Wire.ERR), StandardCharsets.UTF_8));
            Thread worker = Thread.currentThread();
            Thread watcher = new Thread(() -> {
                try {
                    while (rawIn.read() >= 0) {
                        // the client sends nothing more; EOF means it went away
                    }
                } catch (IOException ignored) {
                    // closed
                }
                worker.interrupt();
            }, "ksim-conn-watch");
            watcher.setDaemon(true);
            int status;
            try (Session s = new Session(host, host.env().withCwd(Path.of(rq.cwd())), o, e)) {
                watcher.start();
                status = new Interpreter(s, s.shell(), "ksim", false).runArgv(rq.args()).status();
                o.flush();
                e.flush();
            }
            Thread.interrupted();
            Wire.writeExit(out, status);
        } catch (IOException | RuntimeException ex) {
            if (!halting) {
                System.err.println("ksim: connection failed: " + ex);
            }
        }
    }
}
