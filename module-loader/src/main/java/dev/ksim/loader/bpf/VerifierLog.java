package dev.ksim.loader.bpf;

/** The verifier's log of one program: the instructions it complains about and its messages. */
final class VerifierLog {
    private final StringBuilder text = new StringBuilder();

    /** @param insn an instruction to show, as the kernel prints the one it stopped at */
    void insn(Insn insn) {
        text.append(insn.show()).append('\n');
    }

    /** @param message a line of the log */
    void line(String message) {
        text.append(message).append('\n');
    }

    /** @return the log's text, each line ending in a newline */
    String text() {
        return text.toString();
    }
}
