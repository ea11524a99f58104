/** {@code /proc/modules} and {@code /sys/module/<name>/…} in the kernel's formats. */
package dev.ksim.loader.sysfs;
