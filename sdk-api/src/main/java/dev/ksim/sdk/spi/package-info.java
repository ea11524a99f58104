/**
 * The service-provider interface between the SDK and a kernel: {@link dev.ksim.sdk.spi.KernelServices}
 * is what a kernel implements, {@link dev.ksim.sdk.spi.KernelBinding} which one a thread talks to.
 */
package dev.ksim.sdk.spi;
