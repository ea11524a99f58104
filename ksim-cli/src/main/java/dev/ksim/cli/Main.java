package dev.ksim.cli;

/** The {@code ksim} launcher's entry point: the only place that exits the JVM. */
public final class Main {
    private Main() {
    }

    /**
     * Runs {@code ksim} and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(Ksim.execute(args, KsimEnv.fromSystem(System.getenv()), System.in, System.out, System.err));
    }
}
