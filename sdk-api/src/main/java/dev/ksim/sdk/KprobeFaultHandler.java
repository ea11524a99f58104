package dev.ksim.sdk;

/**
 * {@code kprobe_fault_handler_t}: called when a handler of this probe faults. Exists only on kernel
 * profiles older than 5.14 (the kernel removed {@code kprobe::fault_handler} in v5.14); on newer
 * profiles registering a probe with a fault_handler is accepted and the handler is never called.
 */
@FunctionalInterface
public interface KprobeFaultHandler {
    /**
     * @param p the probe whose handler faulted
     * @param regs the registers at the fault
     * @param trapnr the trap number (14 for a page fault on x86)
     * @return 1 if the fault was handled, 0 to let the kernel handle it
     */
    int handle(Kprobe p, PtRegs regs, int trapnr);
}
