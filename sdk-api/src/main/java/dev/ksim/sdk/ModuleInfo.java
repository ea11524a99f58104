package dev.ksim.sdk;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A module's {@code MODULE_LICENSE}, {@code MODULE_AUTHOR}, {@code MODULE_DESCRIPTION} and
 * {@code MODULE_VERSION}, as {@code modinfo} shows them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ModuleInfo {
    /**
     * {@code MODULE_LICENSE}. GPL-compatible values ({@code "GPL"}, {@code "GPL v2"},
     * {@code "GPL and additional rights"}, {@code "Dual BSD/GPL"}, {@code "Dual MIT/GPL"},
     * {@code "Dual MPL/GPL"}) may use GPL-only exports such as {@code register_kprobe}; any other value
     * taints the kernel (P) and cannot.
     *
     * @return the license
     */
    String license();

    /** @return {@code MODULE_AUTHOR} */
    String author() default "";

    /** @return {@code MODULE_DESCRIPTION} */
    String description() default "";

    /** @return {@code MODULE_VERSION} */
    String version() default "";
}
