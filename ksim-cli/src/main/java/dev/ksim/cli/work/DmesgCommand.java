package dev.ksim.cli.work;

import dev.ksim.cli.shell.Invocation;
import dev.ksim.kernel.SimKernel;
import dev.ksim.kernel.printk.Dmesg;
import dev.ksim.kernel.printk.LogBuffer;
import dev.ksim.kernel.printk.LogReader;
import dev.ksim.kernel.printk.LogRecord;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dmesg}: util-linux's dmesg on the kernel log, records as {@code [%5lu.%06lu] message}. */
@Command(name = "dmesg", description = "Print or control the kernel ring buffer.")
public final class DmesgCommand implements Callable<Integer> {
    @Option(names = {"-c", "--read-clear"}, description = "read and clear all messages")
    boolean readClear;

    @Option(names = {"-C", "--clear"}, description = "clear the ring buffer")
    boolean clear;

    @Option(names = {"-l", "--level"}, paramLabel = "LIST", description = "restrict output to the given levels")
    String levels;

    @Option(names = {"-w", "--follow"}, description = "wait for new messages")
    boolean follow;

    @Option(names = {"-T", "--ctime"}, description = "show human-readable timestamps")
    boolean ctime;

    @Option(names = {"-t", "--notime"}, description = "don't show any timestamp with messages")
    boolean notime;

    @Option(names = {"-k", "--kernel"}, description = "display kernel messages")
    boolean kernelOnly;

    @Option(names = {"-x", "--decode"}, description = "decode facility and level to readable string")
    boolean decode;

    @Option(names = {"-r", "--raw"}, description = "print the raw message buffer")
    boolean raw;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "display this help")
    boolean help;

    /** For picocli. */
    public DmesgCommand() {
    }

    @Override
    public Integer call() {
        Invocation inv = Invocation.current();
        Dmesg d = Dmesg.defaults().decode(decode).raw(raw);
        if (levels != null) {
            try {
                d = d.levels(levels);
            } catch (IllegalArgumentException e) {
                inv.err().println("dmesg: " + e.getMessage());
                return 2;
            }
        }
        SimKernel k = inv.session().kernel();
        if (kernelOnly) {
            d = d.kernelOnly();
        }
        if (notime) {
            d = d.time(Dmesg.TimeFormat.NONE);
        } else if (ctime) {
            long boot = System.currentTimeMillis() * 1000 - k.log().uptimeNanos() / 1000;
            d = d.ctime(boot, ZoneId.systemDefault());
        }
        Dmesg fmt = d;
        if (k.diagnostics().panicked() != null) {
            // Nothing runs on a panicked kernel; its log is read as a crash dump is.
            return show(inv, k.log().buffer(), fmt);
        }
        List<String> argv = new ArrayList<>(List.of("dmesg"));
        return Programs.run("/bin/dmesg", argv, p -> show(inv, k.log().buffer(), fmt));
    }

    private int show(Invocation inv, LogBuffer buf, Dmesg fmt) {
        if (clear) {
            buf.clear();
            return 0;
        }
        List<LogRecord> records = readClear ? buf.readAndClear() : buf.readAll();
        inv.out().print(fmt.format(records));
        inv.out().flush();
        if (!follow) {
            return 0;
        }
        LogReader r = buf.reader();
        r.seek(records.isEmpty() ? buf.nextSeq() : records.get(records.size() - 1).seq() + 1);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                LogRecord rec = r.poll(200, TimeUnit.MILLISECONDS);
                if (rec != null) {
                    inv.out().print(fmt.format(rec));
                    inv.out().flush();
                    if (inv.out().checkError()) {
                        return 0;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 130;
    }
}
