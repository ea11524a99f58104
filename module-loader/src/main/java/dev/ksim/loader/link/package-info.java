/**
 * Symbol resolution: what a module's bytecode references, and what the kernel exports to modules (the
 * SDK and a safe JDK subset; the kprobes API GPL-only).
 */
package dev.ksim.loader.link;
