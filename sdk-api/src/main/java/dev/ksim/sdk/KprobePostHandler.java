package dev.ksim.sdk;

/**
 * {@code kprobe_post_handler_t}: called after the probed instruction was single-stepped (or emulated),
 * before execution continues at the next instruction. Same context rules as {@link KprobePreHandler}.
 */
@FunctionalInterface
public interface KprobePostHandler {
    /**
     * @param p the probe
     * @param regs the registers after the step: {@code ip}/{@code pc} is the next instruction
     * @param flags always 0, as in the kernel
     */
    void handle(Kprobe p, PtRegs regs, long flags);
}
