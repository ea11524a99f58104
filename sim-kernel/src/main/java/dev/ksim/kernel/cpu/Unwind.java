package dev.ksim.kernel.cpu;

import dev.ksim.kernel.text.KFunction;

/**
 * Abandons a function's body because a probe handler redirected execution out of it (to a
 * {@code ret}, or to another function's entry). Caught by the frame it targets.
 */
public final class Unwind extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int depth;
    final KFunction tailcall;

    Unwind(int depth, KFunction tailcall) {
        super(null, null, false, false);
        this.depth = depth;
        this.tailcall = tailcall;
    }
}
