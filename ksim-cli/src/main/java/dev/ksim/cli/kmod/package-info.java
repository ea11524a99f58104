/** kmod's tools on the simulated kernel: insmod, rmmod, lsmod, modinfo, modprobe. */
package dev.ksim.cli.kmod;
