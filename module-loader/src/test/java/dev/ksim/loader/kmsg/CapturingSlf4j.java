package dev.ksim.loader.kmsg;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/** An SLF4J provider for tests that records every event as {@code "logger LEVEL message"}. */
public final class CapturingSlf4j implements SLF4JServiceProvider {
    /** What was logged. */
    static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    private final ILoggerFactory factory = Captured::new;

    /** For ServiceLoader. */
    public CapturingSlf4j() {
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return new BasicMarkerFactory();
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return new NOPMDCAdapter();
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    /** The key-value pairs of each event, as {@code "seq=0 prio=5 caller=T0"}. */
    static final List<String> KEY_VALUES = new CopyOnWriteArrayList<>();

    /** A logger that records. */
    private static final class Captured extends AbstractLogger implements org.slf4j.spi.LoggingEventAware {
        private static final long serialVersionUID = 1L;

        Captured(String name) {
            this.name = name;
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        public void log(org.slf4j.event.LoggingEvent e) {
            EVENTS.add(name + " " + e.getLevel() + " " + MessageFormatter.basicArrayFormat(e.getMessage(),
                    e.getArgumentArray()));
            StringBuilder kv = new StringBuilder();
            for (var p : e.getKeyValuePairs()) {
                kv.append(kv.length() == 0 ? "" : " ").append(p.key).append('=').append(p.value);
            }
            KEY_VALUES.add(kv.toString());
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String msg, Object[] args, Throwable t) {
            EVENTS.add(name + " " + level + " " + MessageFormatter.basicArrayFormat(msg, args));
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isTraceEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled(Marker marker) {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled(Marker marker) {
            return true;
        }
    }
}
