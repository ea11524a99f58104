package dev.ksim.cli.daemon;

import dev.ksim.cli.KsimEnv;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * The one-shot form: {@code ksim insmod x.jar} sends the command to the booted kernel and prints what it
 * answers, exiting with the command's status. Loads nothing but this class and the JDK.
 */
public final class Client {
    private Client() {
    }

    /**
     * Runs a command on the booted kernel.
     *
     * @param env the paths (state directory, working directory)
     * @param args the command's words
     * @param out standard output
     * @param err standard error
     * @return the command's exit status; 1 if no kernel is running
     */
    public static int forward(KsimEnv env, List<String> args, PrintStream out, PrintStream err) {
        StateDir state = new StateDir(env.stateDir());
        SocketChannel ch = state.connect();
        String cmd = args.isEmpty() ? "ksim" : args.get(0);
        if (ch == null) {
            err.println(cmd + ": ERROR: no kernel is running (start one with: ksim boot)");
            return 1;
        }
        try (ch) {
            DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(Wire.out(ch)));
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Wire.in(ch)));
            Wire.writeRequest(o, env.cwd().toString(), args);
            while (true) {
                byte type = in.readByte();
                int len = in.readInt();
                byte[] b = in.readNBytes(len);
                switch (type) {
                    case Wire.OUT -> {
                        out.write(b);
                        out.flush();
                    }
                    case Wire.ERR -> {
                        err.write(b);
                        err.flush();
                    }
                    case Wire.EXIT -> {
                        return java.nio.ByteBuffer.wrap(b).getInt();
                    }
                    default -> throw new IOException("bad frame " + type);
                }
            }
        } catch (EOFException e) {
            err.println(cmd + ": ERROR: the kernel closed the connection");
            return 1;
        } catch (IOException e) {
            err.println(cmd + ": ERROR: lost the connection to the kernel: " + e.getMessage());
            return 1;
        }
    }

    /**
     * @param env the paths
     * @return the pid of the booted kernel, or -1 if none answers
     */
    public static long running(KsimEnv env) {
        StateDir state = new StateDir(env.stateDir());
        SocketChannel ch = state.connect();
        if (ch == null) {
            return -1;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // only probing
        }
        return state.pid();
    }
}
