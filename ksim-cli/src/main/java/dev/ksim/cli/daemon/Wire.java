package dev.ksim.cli.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The local protocol between {@code ksim COMMAND …} and a booted kernel, over the UNIX-domain socket in
 * the state directory. The client sends one request — magic {@code KSIM}, version, working directory,
 * the command's words — and keeps its end open; the kernel answers with frames: standard output,
 * standard error, and finally the exit status. Closing the connection early interrupts the command
 * ({@code dmesg -w} ends when its client is killed).
 */
final class Wire {
    /** {@code "KSIM"}. */
    static final int MAGIC = 0x4b53494d;
    /** Protocol version. */
    static final int VERSION = 1;
    /** A frame of standard output. */
    static final byte OUT = 1;
    /** A frame of standard error. */
    static final byte ERR = 2;
    /** The exit status; the last frame. */
    static final byte EXIT = 3;

    private Wire() {
    }

    /**
     * A request.
     *
     * @param cwd the client's working directory
     * @param args the command's words
     */
    record Request(String cwd, List<String> args) {
    }

    static void writeRequest(DataOutputStream out, String cwd, List<String> args) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(cwd);
        out.writeInt(args.size());
        for (String a : args) {
            byte[] b = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
        out.flush();
    }

    static Request readRequest(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC || in.readInt() != VERSION) {
            throw new IOException("not a ksim client");
        }
        String cwd = in.readUTF();
        int n = in.readInt();
        if (n < 0 || n > 100_000) {
            throw new IOException("bad request");
        }
        List<String> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = in.readInt();
            if (len < 0 || len > (1 << 24)) {
                throw new IOException("bad request");
            }
            args.add(new String(in.readNBytes(len), java.nio.charset.StandardCharsets.UTF_8));
        }
        return new Request(cwd, args);
    }

    /** An output stream whose writes become frames of one type; frames of several streams interleave safely. */
    static final class FrameStream extends OutputStream {
        private final DataOutputStream out;
        private final byte type;

        FrameStream(DataOutputStream out, byte type) {
            this.out = out;
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            synchronized (out) {
                out.writeByte(type);
                out.writeInt(len);
                out.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            synchronized (out) {
                out.flush();
            }
        }
    }

    /**
     * A socket's input as a stream that does not take the channel's blocking lock (unlike
     * {@code Channels.newInputStream}), so one thread may read while another writes.
     *
     * @param ch the socket
     * @return its input
     */
    static java.io.InputStream in(java.nio.channels.SocketChannel ch) {
        return new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : ch.read(java.nio.ByteBuffer.wrap(b, off, len));
            }
        };
    }

    /**
     * A socket's output as a stream that does not take the channel's blocking lock.
     *
     * @param ch the socket
     * @return its output
     */
    static OutputStream out(java.nio.channels.SocketChannel ch) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b, off, len);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
            }
        };
    }

    static void writeExit(DataOutputStream out, int status) throws IOException {
        synchronized (out) {
            out.writeByte(EXIT);
            out.writeInt(4);
            out.writeInt(status);
            out.flush();
        }
    }
}
