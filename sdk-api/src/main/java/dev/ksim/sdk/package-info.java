/**
 * The ksim SDK: the kernel API a probe module is written against, mirroring {@code <linux/kprobes.h>}
 * and {@code <linux/printk.h>} name for name so kernel code ports line for line.
 *
 * <p>Start with {@link dev.ksim.sdk.KernelModule}, {@link dev.ksim.sdk.Kprobe} and
 * {@link dev.ksim.sdk.Kprobes}. Everything here talks to the running kernel through
 * {@link dev.ksim.sdk.spi.KernelServices}, which unit tests can mock.
 */
package dev.ksim.sdk;
