package dev.ksim.sdk;

/**
 * {@code struct pt_regs}: the registers of the interrupted kernel code, as a handler sees them.
 *
 * <p>The concrete class is the architecture's: test it as C tests {@code CONFIG_X86}:
 *
 * <pre>{@code
 * if (regs instanceof X86PtRegs x) {
 *     pr_info("<%s> p->addr = 0x%p, ip = %lx, flags = 0x%lx\n", p.symbol_name, p.addr, x.ip, x.flags);
 * } else if (regs instanceof Arm64PtRegs a) {
 *     pr_info("<%s> p->addr = 0x%p, pc = 0x%lx, pstate = 0x%lx\n", p.symbol_name, p.addr, a.pc, a.pstate);
 * }
 * }</pre>
 *
 * <p>The architecture-neutral accessors below are what {@code instruction_pointer()},
 * {@code regs_return_value()} and {@code regs_get_kernel_argument()} use. A handler may change registers:
 * the probed code continues with the changed values.
 */
public abstract sealed class PtRegs permits X86PtRegs, Arm64PtRegs {

    PtRegs() {
    }

    /** @return the program counter: {@code ip} on x86_64, {@code pc} on arm64 */
    public abstract long instructionPointer();

    /** @param value the new program counter */
    public abstract void setInstructionPointer(long value);

    /** @return the stack pointer */
    public abstract long stackPointer();

    /** @param value the new stack pointer */
    public abstract void setStackPointer(long value);

    /** @return the frame pointer: {@code bp} on x86_64, {@code x29} on arm64 */
    public abstract long framePointer();

    /** @return the register holding a function's return value: {@code ax} on x86_64, {@code x0} on arm64 */
    public abstract long returnValue();

    /** @param value the new return-value register */
    public abstract void setReturnValue(long value);

    /** @return how many arguments the ABI passes in registers (6 on x86_64, 8 on arm64) */
    public abstract int argumentRegisters();

    /**
     * Returns the n-th function argument (0-based) at a function's entry, from the ABI's argument
     * registers ({@code di, si, dx, cx, r8, r9} on x86_64; {@code x0}–{@code x7} on arm64).
     *
     * @param n the argument's index
     * @return its value, or 0 for an index past the argument registers
     */
    public abstract long kernelArgument(int n);

    /**
     * Sets the n-th argument register; ignored for an index past the argument registers.
     *
     * @param n the argument's index
     * @param value the new value
     */
    public abstract void setKernelArgument(int n, long value);

    /** @param other registers of the same architecture to copy from */
    public abstract void copyFrom(PtRegs other);

    /** @return the architecture's name as {@code uname -m} prints it */
    public abstract String arch();
}
