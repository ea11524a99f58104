package dev.ksim.kernel.text;

import dev.ksim.kernel.cpu.Cpu;

/**
 * The behaviour of a simulated function. It reads its arguments from the CPU's registers
 * ({@link Cpu#arg(int)}), calls other functions through {@link Cpu#call}, and returns the value that
 * ends up in the return register.
 */
@FunctionalInterface
public interface Body {
    /** @param cpu the CPU running it @return the return value */
    long run(Cpu cpu);

    /** A body that returns 0. */
    Body RETURN_ZERO = cpu -> 0;
}
