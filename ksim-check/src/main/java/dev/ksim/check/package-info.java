/**
 * Static checks of module sources: {@link dev.ksim.check.ModuleChecker} parses them with javaparser and
 * reports, compiler-style, the mistakes each {@link dev.ksim.check.Rule} names — sleeping in handler context,
 * probes left registered, probe targets the kernel lacks or blacklists, license and parameter metadata, and
 * handler hygiene. {@link dev.ksim.check.Main} is the command line ({@code ksim check}).
 */
package dev.ksim.check;
