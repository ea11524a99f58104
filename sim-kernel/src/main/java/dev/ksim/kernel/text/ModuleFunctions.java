package dev.ksim.kernel.text;

import dev.ksim.sdk.NoKprobe;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Describes a module class's methods as module text: one function per method name, its arity from the
 * parameters, and {@link FnAttr#NOKPROBE} where the method or its class carries {@link NoKprobe} (the
 * module's {@code NOKPROBE_SYMBOL}s). Synthetic methods (lambda bodies) and bridges are left out.
 */
public final class ModuleFunctions {
    private ModuleFunctions() {
    }

    /**
     * @param classes the module's classes
     * @return its functions, in a stable order (by class, then method name)
     */
    public static List<FunctionDef> describe(List<Class<?>> classes) {
        List<FunctionDef> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Class<?> c : classes) {
            boolean classNokprobe = c.isAnnotationPresent(NoKprobe.class);
            Method[] methods = c.getDeclaredMethods();
            Arrays.sort(methods, Comparator.comparing(Method::getName).thenComparingInt(Method::getParameterCount));
            for (Method m : methods) {
                if (m.isSynthetic() || m.isBridge() || Modifier.isAbstract(m.getModifiers()) || !seen.add(m.getName())) {
                    continue;
                }
                EnumSet<FnAttr> attrs = EnumSet.noneOf(FnAttr.class);
                if (classNokprobe || m.isAnnotationPresent(NoKprobe.class)) {
                    attrs.add(FnAttr.NOKPROBE);
                }
                out.add(new FunctionDef(m.getName(), Math.min(6, m.getParameterCount()), List.of(), 0, attrs));
            }
        }
        return out;
    }
}
