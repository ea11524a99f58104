/**
 * Per-module class loaders and the load-time weaving that makes each module method probe-able module
 * text.
 */
package dev.ksim.loader.weave;
