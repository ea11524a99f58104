/**
 * The ksim test kit: what a module project adds as a test dependency ({@code dev.ksim:ksim-test}).
 *
 * <ul>
 *   <li>{@link dev.ksim.test.KsimTest} boots a simulated kernel for each test (or each class) and injects a
 *       {@link dev.ksim.test.TestKernel}: insmod a module as {@code ./ksim insmod} does, drive the kernel with
 *       processes and system calls, and assert on {@link dev.ksim.test.Dmesg}, {@link dev.ksim.test.ProbeState},
 *       taint and module state.</li>
 *   <li>{@link dev.ksim.test.MockKernel} unit-tests a module without a kernel: a Mockito mock of the SDK's
 *       {@link dev.ksim.sdk.spi.KernelServices}, bound for the test, with printk captured and kernel memory
 *       faked, plus {@link dev.ksim.test.Regs} and {@link dev.ksim.test.FakeMemory} to build pt_regs and
 *       kernel structures.</li>
 *   <li>{@link dev.ksim.test.ktap.KtapListener} writes the test run as KTAP, as KUnit does, when
 *       {@code -Dksim.ktap=FILE} is set.</li>
 * </ul>
 */
package dev.ksim.test;
