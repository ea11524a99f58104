package dev.ksim.sdk;

/**
 * {@code kprobe_pre_handler_t}: called when the probed instruction is hit, before it executes.
 *
 * <p>Runs with preemption disabled (on the x86 int3 path and the arm64 BRK path also with interrupts
 * off); it must not sleep. On x86 {@code regs.ip} is {@code p.addr + 1} (the int3 has executed); on
 * arm64 {@code regs.pc == p.addr}.
 */
@FunctionalInterface
public interface KprobePreHandler {
    /**
     * @param p the probe that was hit (for several probes at one address, each child in turn)
     * @param regs the registers at the breakpoint; changes are seen by the probed code
     * @return 0 to single-step the probed instruction and then call the post_handler; non-zero if the
     *     handler changed {@code regs.ip}/{@code regs.pc} and execution must resume there (no single-step,
     *     no post_handler, and later probes at the same address are not called)
     */
    int handle(Kprobe p, PtRegs regs);
}
