package dev.ksim.sdk;

/**
 * A jprobe handler: one of the nested interfaces, by the number of arguments the probed function takes.
 * Arguments arrive as the raw register values ({@code unsigned long} / pointers) in ABI order.
 */
public sealed interface JprobeEntry
        permits JprobeEntry.Args0, JprobeEntry.Args1, JprobeEntry.Args2, JprobeEntry.Args3, JprobeEntry.Args4,
                JprobeEntry.Args5, JprobeEntry.Args6 {

    /** The number of arguments this entry takes. */
    int arity();

    /** A handler for a function without arguments. */
    @FunctionalInterface
    non-sealed interface Args0 extends JprobeEntry {
        /** Called at the probed function's entry. */
        void entry();

        @Override
        default int arity() {
            return 0;
        }
    }

    /** A handler for a function of one argument. */
    @FunctionalInterface
    non-sealed interface Args1 extends JprobeEntry {
        /** Called at the probed function's entry. @param a1 the first argument */
        void entry(long a1);

        @Override
        default int arity() {
            return 1;
        }
    }

    /** A handler for a function of two arguments. */
    @FunctionalInterface
    non-sealed interface Args2 extends JprobeEntry {
        /** Called at the probed function's entry. @param a1 first @param a2 second argument */
        void entry(long a1, long a2);

        @Override
        default int arity() {
            return 2;
        }
    }

    /** A handler for a function of three arguments. */
    @FunctionalInterface
    non-sealed interface Args3 extends JprobeEntry {
        /** Called at the probed function's entry. @param a1 first @param a2 second @param a3 third argument */
        void entry(long a1, long a2, long a3);

        @Override
        default int arity() {
            return 3;
        }
    }

    /** A handler for a function of four arguments. */
    @FunctionalInterface
    non-sealed interface Args4 extends JprobeEntry {
        /** Called at the probed function's entry. @param a1 1st @param a2 2nd @param a3 3rd @param a4 4th */
        void entry(long a1, long a2, long a3, long a4);

        @Override
        default int arity() {
            return 4;
        }
    }

    /** A handler for a function of five arguments. */
    @FunctionalInterface
    non-sealed interface Args5 extends JprobeEntry {
        /** Called at the probed function's entry. @param a1 1st @param a2 2nd @param a3 3rd @param a4 4th @param a5 5th */
        void entry(long a1, long a2, long a3, long a4, long a5);

        @Override
        default int arity() {
            return 5;
        }
    }

    /** A handler for a function of six arguments. */
    @FunctionalInterface
    non-sealed interface Args6 extends JprobeEntry {
        /** Called at the probed function's entry. @param a1 1st @param a2 2nd @param a3 3rd @param a4 4th @param a5 5th @param a6 6th */
        void entry(long a1, long a2, long a3, long a4, long a5, long a6);

        @Override
        default int arity() {
            return 6;
        }
    }
}
