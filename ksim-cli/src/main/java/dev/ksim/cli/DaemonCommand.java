package dev.ksim.cli;

import dev.ksim.cli.daemon.Daemon;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** The background kernel's own process, started by {@code ksim boot}. */
@Command(name = "__daemon", hidden = true, description = "Run a booted kernel in this process (used by boot).")
public final class DaemonCommand implements Callable<Integer> {
    @ParentCommand
    KsimCommand root;

    @Mixin
    BootOptionsMixin boot;

    /** For picocli. */
    public DaemonCommand() {
    }

    @Override
    public Integer call() {
        return Daemon.run(boot.toSpec(), root.env(), System.err);
    }
}
