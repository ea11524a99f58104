/**
 * Module parameters as {@code kernel/params.c} has them: types, {@code kstrto*} parsing,
 * {@code parse_args()} and its messages.
 */
package dev.ksim.loader.params;
