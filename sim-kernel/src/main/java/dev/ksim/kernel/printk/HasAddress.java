package dev.ksim.kernel.printk;

/**
 * A Java object that stands for something at a kernel address (a {@code struct}, a function, a
 * module's data). {@link Vsprintf} prints such an object's {@link #address()} wherever a format
 * takes a pointer ({@code %p}, {@code %px}, {@code %pS}, …), exactly as C would print the pointer.
 */
@FunctionalInterface
public interface HasAddress {
    /** @return the object's kernel virtual address */
    long address();
}
