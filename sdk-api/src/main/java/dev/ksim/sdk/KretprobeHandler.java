package dev.ksim.sdk;

/**
 * {@code kretprobe_handler_t}: the type of both {@link Kretprobe#handler} (called when the probed
 * function returns) and {@link Kretprobe#entry_handler} (called at its entry).
 */
@FunctionalInterface
public interface KretprobeHandler {
    /**
     * @param ri the instance tracking this call
     * @param regs the registers: at entry the function's arguments, at return its return value
     *     ({@link Kprobes#regs_return_value(PtRegs)})
     * @return for an entry_handler: 0 to track the call (the return handler will run), non-zero to skip
     *     it (no return handler, not counted as missed); for a return handler: ignored
     */
    int handle(KretprobeInstance ri, PtRegs regs);
}
