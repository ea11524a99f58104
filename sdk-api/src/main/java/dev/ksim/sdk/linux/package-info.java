/**
 * Typed views of kernel structures ({@code task_struct}, {@code filename}, {@code file}, …) read from
 * kernel memory through the running kernel's layout.
 */
package dev.ksim.sdk.linux;
