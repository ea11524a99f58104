package dev.ksim.cli.shell;

import dev.ksim.kernel.proc.Process;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs command lines in a session as {@code sh} does: lists with {@code ;}, {@code &&}, {@code ||} and
 * {@code &}, output redirection, the builtins ({@code echo}, {@code set}, {@code exit}, {@code wait},
 * {@code true}, {@code false}, {@code help}) and the session's commands. With {@code set -e} the first
 * command that fails (outside a condition of {@code &&} or {@code ||}) ends the script with its status.
 */
public final class Interpreter {
    private final Session session;
    private final Process shell;
    private final String origin;
    private final boolean script;
    private int lineNo;
    private int status;
    private boolean errexit;
    private boolean xtrace;

    /**
     * What a line did.
     *
     * @param status the exit status of the last command run
     * @param exit whether the script must stop ({@code exit}, or a failure under {@code set -e})
     */
    public record Result(int status, boolean exit) {
    }

    /**
     * @param session the session
     * @param shell the simulated shell process that forks the commands
     * @param origin the script's name as given, or {@code "ksim"} (starts the shell's own messages)
     * @param script whether lines come from a script (messages then say {@code line N})
     */
    public Interpreter(Session session, Process shell, String origin, boolean script) {
        this.session = session;
        this.shell = shell;
        this.origin = origin;
        this.script = script;
    }

    /** @param on {@code set -e} (scripts start with it, as {@code sh -e}) */
    public void setErrexit(boolean on) {
        errexit = on;
    }

    /** @return the status of the last command */
    public int status() {
        return status;
    }

    private String prefix() {
        return script ? origin + ": line " + lineNo + ": " : origin + ": ";
    }

    /**
     * Runs one line.
     *
     * @param line the text
     * @param number its line number in the script
     * @return what happened
     */
    public Result runLine(String line, int number) {
        lineNo = number;
        Script s;
        try {
            s = Script.parse(line);
        } catch (Script.SyntaxError e) {
            session.err().println(prefix() + e.getMessage());
            session.err().flush();
            status = 2;
            return new Result(2, errexit || script);
        }
        return run(s);
    }

    /**
     * Runs a command given as separate words (the one-shot form {@code ksim insmod x.jar}).
     *
     * @param argv the words; operator words such as {@code >} work as in a line
     * @return what happened
     */
    public Result runArgv(List<String> argv) {
        try {
            return run(Script.ofArgv(argv));
        } catch (Script.SyntaxError e) {
            session.err().println(prefix() + e.getMessage());
            session.err().flush();
            status = 2;
            return new Result(2, true);
        }
    }

    private Result run(Script s) {
        Script.Joiner previous = Script.Joiner.SEQUENCE;
        for (Script.Command c : s.commands()) {
            boolean runIt = switch (previous) {
                case AND -> status == 0;
                case OR -> status != 0;
                default -> true;
            };
            previous = c.joiner();
            if (!runIt) {
                continue;
            }
            if (c.joiner() == Script.Joiner.BACKGROUND) {
                background(c);
                status = 0;
                continue;
            }
            status = exec(c);
            if (exitRequested) {
                return new Result(status, true);
            }
            if (status != 0 && errexit && c.joiner() != Script.Joiner.AND && c.joiner() != Script.Joiner.OR) {
                return new Result(status, true);
            }
        }
        return new Result(status, false);
    }

    private boolean exitRequested;

    private void background(Script.Command c) {
        Thread t = new Thread(() -> exec(c), "ksim-job-" + String.join(" ", c.words()));
        t.setDaemon(true);
        session.addJob(t);
        t.start();
    }

    private int exec(Script.Command c) {
        List<String> w = c.words();
        String line = String.join(" ", w.stream().map(Script::quote).toList());
        Invocation inv = new Invocation(session, shell, session.out(), session.err(), prefix(), line);
        if (xtrace) {
            session.err().println("+ " + line + (c.redirect() == null ? "" : " " + c.redirect() + Script.quote(c.target())));
            session.err().flush();
        }
        try {
            String name = w.get(0);
            if (Commands.BUILTINS.contains(name)) {
                return builtin(inv, c);
            }
            CommandLine cl = session.commands();
            if (name.contains("/")) {
                return runProgram(inv, c);
            }
            if (!cl.getSubcommands().containsKey(name)) {
                inv.err().println(inv.prefix() + name + ": command not found");
                return 127;
            }
            if (c.redirect() == null) {
                return run(cl, inv, w);
            }
            StringWriter captured = new StringWriter();
            PrintWriter pw = new PrintWriter(captured);
            int st = run(cl, inv.withOut(pw), w);
            pw.flush();
            int r = Redirect.write(inv, c.redirect(), c.target(), captured.toString(), null);
            return r != 0 ? r : st;
        } finally {
            session.out().flush();
            session.err().flush();
        }
    }

    /** A program named by its path, with its output redirected like any command's. */
    private static int runProgram(Invocation inv, Script.Command c) {
        if (c.redirect() == null) {
            return inv.run(() -> dev.ksim.cli.work.ProgramCommand.run(inv, c.words()));
        }
        StringWriter captured = new StringWriter();
        PrintWriter pw = new PrintWriter(captured);
        Invocation to = inv.withOut(pw);
        int st = to.run(() -> dev.ksim.cli.work.ProgramCommand.run(to, c.words()));
        pw.flush();
        int r = Redirect.write(inv, c.redirect(), c.target(), captured.toString(), null);
        return r != 0 ? r : st;
    }

    private static int run(CommandLine cl, Invocation inv, List<String> w) {
        cl.setOut(inv.out());
        cl.setErr(inv.err());
        return inv.run(() -> cl.execute(w.toArray(String[]::new)));
    }

    private int builtin(Invocation inv, Script.Command c) {
        List<String> w = c.words();
        switch (w.get(0)) {
            case "true", ":" -> {
                return 0;
            }
            case "false" -> {
                return 1;
            }
            case "echo" -> {
                return echo(inv, c);
            }
            case "set" -> {
                return set(inv, w);
            }
            case "exit" -> {
                exitRequested = true;
                if (w.size() > 1) {
                    try {
                        return Integer.parseInt(w.get(1)) & 0xff;
                    } catch (NumberFormatException e) {
                        inv.err().println(inv.prefix() + "exit: " + w.get(1) + ": numeric argument required");
                        return 2;
                    }
                }
                return status;
            }
            case "wait" -> {
                try {
                    session.waitJobs();
                    return 0;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 130;
                }
            }
            default -> {
                inv.out().println("ksim commands: " + String.join(" ", Commands.NAMES));
                inv.out().println("Modules: insmod FILE [param=value...] | modprobe NAME | rmmod [-f] NAME | lsmod | "
                        + "modinfo NAME|FILE | dmesg [-c|-C] [-l LEVELS] [-w] [-T]");
                inv.out().println("Files: cat PATH | echo VALUE > PATH | touch | rm | ls | mkdir | mv; "
                        + "processes: sh -c 'CMDS' | sleep N | stress --procs N --ops N");
                return 0;
            }
        }
    }

    private int echo(Invocation inv, Script.Command c) {
        List<String> w = c.words();
        boolean newline = true;
        int i = 1;
        while (i < w.size() && w.get(i).equals("-n")) {
            newline = false;
            i++;
        }
        String text = String.join(" ", w.subList(i, w.size())) + (newline ? "\n" : "");
        if (c.redirect() != null) {
            return Redirect.write(inv, c.redirect(), c.target(), text, "echo");
        }
        inv.out().print(text);
        return 0;
    }

    private int set(Invocation inv, List<String> w) {
        for (String opt : w.subList(1, w.size())) {
            switch (opt) {
                case "-e" -> errexit = true;
                case "+e" -> errexit = false;
                case "-x" -> xtrace = true;
                case "+x" -> xtrace = false;
                case "-ex", "-xe" -> {
                    errexit = true;
                    xtrace = true;
                }
                default -> {
                    inv.err().println(inv.prefix() + "set: " + opt + ": invalid option");
                    inv.err().println("set: usage: set [-ex] [+ex]");
                    return 2;
                }
            }
        }
        return 0;
    }
}
