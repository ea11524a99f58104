/**
 * The simulated kernel's log: {@code printk}, its ring buffer, and the ways the log is read.
 *
 * <ul>
 * <li>{@link dev.ksim.kernel.printk.Vsprintf}: the kernel's {@code vsnprintf()} for Java arguments,
 *     {@code %p} hashing ({@link dev.ksim.kernel.printk.SipHash}) and {@code %pS} symbols
 *     ({@link dev.ksim.kernel.printk.SymbolLookup}, {@link dev.ksim.kernel.printk.HasAddress}).</li>
 * <li>{@link dev.ksim.kernel.printk.Printk}: {@code vprintk_emit()}: levels, {@code KERN_CONT}
 *     merging per {@link dev.ksim.kernel.printk.CallerInfo}, storage.</li>
 * <li>{@link dev.ksim.kernel.printk.LogBuffer}: the bounded ring of
 *     {@link dev.ksim.kernel.printk.LogRecord}s, with {@link dev.ksim.kernel.printk.LogReader}
 *     cursors and {@link dev.ksim.kernel.printk.LogListener} consoles.</li>
 * <li>{@link dev.ksim.kernel.printk.KernelLogFormat} ({@code /dev/kmsg}, {@code /proc/kmsg},
 *     consoles) and {@link dev.ksim.kernel.printk.Dmesg} (util-linux {@code dmesg}) render records.</li>
 * </ul>
 *
 * <p>Wiring, in short:
 * <pre>{@code
 * LogBuffer log = new LogBuffer();                                   // CONFIG_LOG_BUF_SHIFT=17
 * Vsprintf fmt = Vsprintf.withRandomKey(kallsyms);                   // kallsyms implements SymbolLookup
 * Printk printk = new Printk(log, fmt, clock::nanosSinceBoot);
 * // KernelServices.vprintk(fmt, args):
 * return printk.vprintk(fmt, args, CallerInfo.task(current.pid, cpu)); // or CallerInfo.irq(cpu)
 * // dmesg:
 * out.print(Dmesg.defaults().format(log.readAll()));
 * }</pre>
 */
package dev.ksim.kernel.printk;
