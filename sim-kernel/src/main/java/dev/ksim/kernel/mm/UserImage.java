package dev.ksim.kernel.mm;

/**
 * A process image made by {@link KernelObjects#createMm}: its {@code mm_struct}, its user memory and
 * where the exec-time data lies in it.
 *
 * <p>The stack top, from high to low addresses, holds what {@code execve} leaves there: an 8-byte NULL
 * marker, the executable's path, the environment strings, the argument strings (so
 * {@code [arg_start, arg_end)} and {@code [env_start, env_end)} are NUL-separated strings in order),
 * then, 16-byte aligned at {@link #sp}, {@code argc}, the {@code argv} pointers and NULL, the
 * {@code envp} pointers and NULL, and an empty auxiliary vector ({@code AT_NULL}).
 *
 * @param mm the {@code struct mm_struct} address
 * @param memory the user address space ({@code copy_from_user} reads it)
 * @param sp the initial user stack pointer: the address of {@code argc}
 * @param argv the user address of the {@code argv[]} pointer array ({@code sp + 8})
 * @param envp the user address of the {@code envp[]} pointer array
 * @param argStart {@code mm->arg_start}
 * @param argEnd {@code mm->arg_end}
 * @param envStart {@code mm->env_start}
 * @param envEnd {@code mm->env_end}
 * @param argc the number of arguments
 * @param envc the number of environment strings
 */
public record UserImage(long mm, UserMemory memory, long sp, long argv, long envp, long argStart, long argEnd,
                        long envStart, long envEnd, int argc, int envc) {
}
