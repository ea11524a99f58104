package dev.ksim.loader.image;

import dev.ksim.loader.link.References;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The classes a module consists of when it comes from a directory or a class path rather than a jar:
 * its module class and every class reachable from it through references that the same location holds.
 */
final class ClassClosure {
    private ClassClosure() {
    }

    /**
     * @param main the module class's internal name
     * @param lookup the class file of an internal name in the location, or null if it has none
     * @return class files by internal name, the module class first
     */
    static Map<String, byte[]> of(String main, Function<String, byte[]> lookup) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(main);
        while (!todo.isEmpty()) {
            String c = todo.poll();
            if (out.containsKey(c)) {
                continue;
            }
            byte[] b = lookup.apply(c);
            if (b == null) {
                continue;
            }
            out.put(c, b);
            for (String r : References.scan(b).classes()) {
                if (!out.containsKey(r) && !r.startsWith("java/") && !r.startsWith("dev/ksim/sdk/")) {
                    todo.add(r);
                }
            }
        }
        return out;
    }
}
