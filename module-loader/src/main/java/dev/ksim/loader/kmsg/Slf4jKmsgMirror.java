package dev.ksim.loader.kmsg;

import dev.ksim.kernel.printk.LogListener;
import dev.ksim.kernel.printk.LogRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A console that mirrors the kernel log to SLF4J, for programs that embed ksim: one logger per module,
 * {@code ksim.kmsg.<module>} ({@code ksim.kmsg.kernel} for the kernel's own messages), with the levels
 * mapped as syslog maps them: EMERG–ERR to ERROR, WARNING to WARN, NOTICE and INFO to INFO, DEBUG to
 * DEBUG. Each event carries the record's {@code seq}, {@code prio} and {@code caller} as key-value pairs.
 * The kernel log stays authoritative: {@code dmesg} reads the ring buffer, not SLF4J.
 */
public final class Slf4jKmsgMirror implements LogListener {
    /** Prefix of every logger name. */
    public static final String LOGGER_PREFIX = "ksim.kmsg.";

    private final KmsgAttribution attribution;
    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();

    /** @param attribution finds the module that printed each record */
    public Slf4jKmsgMirror(KmsgAttribution attribution) {
        this.attribution = attribution;
        attribution.enable();
    }

    /**
     * @param level a kernel log level 0–7
     * @return its SLF4J level
     */
    public static Level level(int level) {
        if (level <= 3) {
            return Level.ERROR;
        }
        if (level == 4) {
            return Level.WARN;
        }
        return level <= 6 ? Level.INFO : Level.DEBUG;
    }

    @Override
    public void onRecord(LogRecord r) {
        String module = attribution.moduleOf(r);
        Logger log = loggers.computeIfAbsent(module, m -> LoggerFactory.getLogger(LOGGER_PREFIX + m));
        Level level = level(r.level());
        if (log.isEnabledForLevel(level)) {
            log.atLevel(level).addKeyValue("seq", r.seq()).addKeyValue("prio", r.prio()).addKeyValue("caller", r.caller())
                    .log(r.text());
        }
    }

    @Override
    public void onDropped(long count) {
        Logger log = loggers.computeIfAbsent(KmsgAttribution.KERNEL, m -> LoggerFactory.getLogger(LOGGER_PREFIX + m));
        log.warn("** {} printk messages dropped **", count);
    }
}
