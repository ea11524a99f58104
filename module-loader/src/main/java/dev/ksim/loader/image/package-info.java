/**
 * Module files and what they declare, read without loading them: jars, single {@code .java} files
 * compiled on the spot, class directories and classes of the running program; their {@code .modinfo}.
 */
package dev.ksim.loader.image;
