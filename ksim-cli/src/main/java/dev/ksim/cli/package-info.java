/**
 * The {@code ksim} command: {@link dev.ksim.cli.Main} and the top-level commands (run, shell, boot,
 * halt). {@link dev.ksim.cli.Ksim#execute} runs a command line without exiting the JVM.
 */
package dev.ksim.cli;
