package dev.ksim.loader.params;

/** A parameter's {@code set} operation failed with an errno, as {@code kernel_param_ops.set} returns one. */
public final class ParamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The negative errno. */
    public final int errno;

    /** @param errno the negative errno */
    public ParamException(int errno) {
        super("errno " + errno, null, false, false);
        this.errno = errno;
    }
}
