/**
 * dmesg and the workload commands: programs run as simulated processes (fork, exec, system calls, exit,
 * wait) with coreutils' messages.
 */
package dev.ksim.cli.work;
