package dev.ksim.cli.daemon;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The directory a booted kernel lives in: {@code kernel.sock} (the UNIX-domain socket commands connect
 * to), {@code kernel.pid} and {@code kernel.log} (the daemon's own output).
 *
 * @param dir the directory
 */
record StateDir(Path dir) {
    Path socket() {
        return dir.resolve("kernel.sock");
    }

    Path pidFile() {
        return dir.resolve("kernel.pid");
    }

    Path log() {
        return dir.resolve("kernel.log");
    }

    /** @return a connection to the booted kernel, or null if none is running */
    SocketChannel connect() {
        if (!Files.exists(socket())) {
            return null;
        }
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket()));
            return ch;
        } catch (IOException e) {
            return null;
        }
    }

    /** @return the booted kernel's pid as recorded, or -1 */
    long pid() {
        try {
            return Long.parseLong(Files.readString(pidFile()).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
