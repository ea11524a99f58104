package dev.ksim.check;

import com.github.javaparser.Position;
import com.github.javaparser.ast.Node;
import java.nio.file.Path;

/**
 * A place in a source file, 1-based as compilers print it.
 *
 * @param file the file as given on the command line
 * @param line the line
 * @param column the column
 */
public record Location(Path file, int line, int column) {
    /**
     * @param file the file
     * @param node a node of it
     * @return where the node begins
     */
    public static Location of(Path file, Node node) {
        Position p = node.getBegin().orElse(new Position(1, 1));
        return new Location(file, p.line, p.column);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
