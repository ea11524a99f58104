package dev.ksim.check;

import com.github.javaparser.ast.body.CallableDeclaration;
import java.nio.file.Path;

/** What a call in module code calls: a method of the module's sources, or something outside them. */
sealed interface Callee {
    /**
     * A method or constructor of the module's sources, which the checker follows into.
     *
     * @param file its file
     * @param declaration its declaration
     */
    record Internal(Path file, CallableDeclaration<?> declaration) implements Callee {
        /** @return its name as chains print it: {@code slow_path()} */
        String display() {
            return declaration.getNameAsString() + "()";
        }
    }

    /**
     * A method outside the module's sources: the SDK's or the JDK's.
     *
     * @param type the declaring type's qualified name, e.g. {@code dev.ksim.sdk.Kernel}
     * @param method the method's name
     */
    record External(String type, String method) implements Callee {
        /** @return e.g. {@code Kernel.msleep()} */
        String display() {
            return type.substring(type.lastIndexOf('.') + 1) + "." + method + "()";
        }
    }
}
