/**
 * Sessions on a kernel: the shell language ksim scripts use, its interpreter and builtins, the commands
 * registry, and the interactive shell.
 */
package dev.ksim.cli.shell;
