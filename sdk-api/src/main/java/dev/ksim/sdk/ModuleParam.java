package dev.ksim.sdk;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code module_param} / {@code module_param_string}: a field settable at load time
 * ({@code insmod m.jar symbol=vfs_read}) and, with a non-zero {@link #perm()}, visible under
 * {@code /sys/module/<module>/parameters/<name>}.
 *
 * <p>The field's Java type gives the kernel type: {@code int} → int, {@code long} → long, {@code short}
 * → short, {@code boolean} → bool, {@code String} → charp (or a string of at most {@link #maxlen()}
 * bytes when set); use {@link #type()} for the unsigned and invbool types.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ModuleParam {
    /** @return the parameter's name; empty means the field's name */
    String name() default "";

    /** @return the sysfs permission, e.g. {@code 0644}; 0 hides the parameter from sysfs */
    int perm() default 0;

    /** @return {@code MODULE_PARM_DESC} */
    String desc() default "";

    /**
     * @return the kernel type name ({@code int}, {@code uint}, {@code long}, {@code ulong}, {@code short},
     *     {@code ushort}, {@code bool}, {@code invbool}, {@code charp}, {@code string}); empty means
     *     from the field's type
     */
    String type() default "";

    /** @return for {@code module_param_string}: the buffer size including the NUL; 0 for charp */
    int maxlen() default 0;
}
