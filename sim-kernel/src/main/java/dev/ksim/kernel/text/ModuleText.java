package dev.ksim.kernel.text;

import java.util.List;
import java.util.Map;

/**
 * One loaded module's text: its segment, functions and symbols, and its lifecycle state as kprobes
 * sees it ({@code MODULE_STATE_COMING → LIVE → GOING}).
 */
public final class ModuleText {
    /** {@code enum module_state}. */
    public enum State {
        /** Being loaded: init has not finished. */
        COMING,
        /** Fully loaded. */
        LIVE,
        /** Being unloaded. */
        GOING,
        /** Unloaded: its text is freed. */
        GONE
    }

    /** The module's name. */
    public final String name;
    /** Its text. */
    public final TextSegment segment;
    /** Its functions by name. */
    public final Map<String, KFunction> functions;
    /** Its symbols in address order. */
    public final List<Symbol> symbols;
    /** Its lifecycle state; written by the module loader, read by kprobes under kprobe_mutex. */
    private volatile State state = State.COMING;

    ModuleText(String name, TextSegment segment, Map<String, KFunction> functions, List<Symbol> symbols) {
        this.name = name;
        this.segment = segment;
        this.functions = Map.copyOf(functions);
        this.symbols = List.copyOf(symbols);
    }

    /** @return the lifecycle state */
    public State state() {
        return state;
    }

    /** @param state the new lifecycle state */
    public void setState(State state) {
        this.state = state;
    }
}
