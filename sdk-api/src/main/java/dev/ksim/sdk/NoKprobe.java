package dev.ksim.sdk;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code NOKPROBE_SYMBOL} (and {@code __kprobes}): the annotated method, or every method of the annotated
 * class, is on the kprobe blacklist while its module is loaded; probing it fails with {@code -EINVAL}.
 * Mark handlers and the functions they call with it, as the kernel marks its kprobes code.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface NoKprobe {
}
