/** The kernel log mirrored to SLF4J, one logger per module. */
package dev.ksim.loader.kmsg;
