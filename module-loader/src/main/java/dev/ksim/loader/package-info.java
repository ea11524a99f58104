/**
 * The kernel's module loader: {@link dev.ksim.loader.ModuleLoader} loads and unloads modules with the
 * kernel's checks, errnos and messages ({@code finit_module}, {@code delete_module}); a
 * {@link dev.ksim.loader.LoadedModule} is one module in the kernel.
 */
package dev.ksim.loader;
