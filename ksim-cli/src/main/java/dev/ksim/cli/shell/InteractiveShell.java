package dev.ksim.cli.shell;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * {@code ksim shell}: an interactive shell on a kernel (JLine): line editing, history kept in the state
 * directory, tab completion ({@link ShellCompleter}); Ctrl-C interrupts the running command (e.g.
 * {@code dmesg -w}), Ctrl-D or {@code exit} leaves.
 */
public final class InteractiveShell {
    /** The prompt: root on the simulated machine. */
    public static final String PROMPT = "root@ksim:~# ";

    private InteractiveShell() {
    }

    /**
     * Runs the shell until end of input.
     *
     * @param terminal the terminal
     * @param session the session (its output should go to the terminal)
     * @param history where to keep history, or null
     * @return the status of the last command
     */
    public static int run(Terminal terminal, Session session, Path history) {
        LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).appName("ksim")
                .completer(new ShellCompleter(session));
        if (history != null) {
            try {
                Files.createDirectories(history.getParent());
                b.variable(LineReader.HISTORY_FILE, history);
            } catch (IOException e) {
                // no history then
            }
        }
        LineReader reader = b.build();
        Interpreter sh = new Interpreter(session, session.shell(), "ksim", false);
        Thread self = Thread.currentThread();
        terminal.handle(Terminal.Signal.INT, sig -> self.interrupt());
        int n = 0;
        while (true) {
            String line;
            try {
                line = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            Interpreter.Result r = sh.runLine(line, ++n);
            Thread.interrupted();
            if (r.exit() && line.strip().startsWith("exit")) {
                break;
            }
        }
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            // history is a convenience
        }
        PrintWriter w = terminal.writer();
        w.flush();
        return sh.status();
    }
}
