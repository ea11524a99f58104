package dev.ksim.cli;

import java.util.List;

/**
 * The names of the commands a session runs. The launcher forwards {@code ksim NAME …} to a booted kernel
 * when NAME is one of them, without loading anything else (the one-shot form answers in milliseconds).
 */
public final class CommandNames {
    /** Every command and builtin of a session. */
    public static final List<String> ALL = List.of("insmod", "rmmod", "lsmod", "modinfo", "modprobe", "dmesg", "cat",
            "touch", "rm", "ls", "mkdir", "mv", "sh", "sleep", "stress", "readelf", "timeout", "bpf", "echo", "set",
            "true", "false", ":", "exit", "wait", "help");

    private CommandNames() {
    }

    /** @param name a word @return whether it names a session command, or a program by its path ({@code /root/test}) */
    public static boolean isCommand(String name) {
        return ALL.contains(name) || name.contains("/");
    }
}
