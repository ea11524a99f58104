package dev.ksim.sdk.bpf;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * libbpf's {@code SEC("...")}: the ELF section a definition goes to, which tells the loader what it is.
 *
 * <ul>
 *   <li>{@code @SEC("kprobe/FUNC")} on a static method {@code int name(PtRegs ctx, T1 a1, T2 a2, …)}: a
 *       program attached to a kprobe at {@code FUNC}'s entry ({@code FUNC+OFFSET} also works), its
 *       parameters after {@code ctx} filled from the argument registers as {@code BPF_KPROBE} does.</li>
 *   <li>{@code @SEC("kretprobe/FUNC")} on {@code int name(PtRegs ctx, T ret)}: a program run when
 *       {@code FUNC} returns, {@code ret} being its return value as {@code BPF_KRETPROBE} gives it.</li>
 *   <li>{@code @SEC("license")} on a {@code static final String}: the program's license, as
 *       {@code char LICENSE[] SEC("license") = "Dual BSD/GPL";}. GPL-only helpers such as
 *       {@code bpf_printk} need a GPL-compatible one.</li>
 *   <li>{@code @SEC(".maps")} on a {@code static final} {@link BpfMap} field: a map the loader creates,
 *       named after the field.</li>
 * </ul>
 *
 * <p>Argument types: {@code long}, {@code int}, {@code short}, {@code byte}, {@code char},
 * {@code boolean} take the register's low bits as C's conversions do; a {@code dev.ksim.sdk.linux} view
 * ({@code Filename}, {@code TaskStruct}, …) is the pointer argument seen through that structure.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD})
public @interface SEC {
    /** @return the section name, e.g. {@code "kprobe/do_unlinkat"} */
    String value();
}
