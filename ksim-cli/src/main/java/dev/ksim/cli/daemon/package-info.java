/** A booted kernel in a background process, and the one-shot commands that reach it over a UNIX socket. */
package dev.ksim.cli.daemon;
