package dev.ksim.check;

/** One group of checks over a module. Implementations are stateless. */
interface CheckRule {
    /**
     * Checks a module.
     *
     * @param module the module
     * @param context the kernel, the resolver and what runs in handler context
     * @param out where findings go
     */
    void check(ModuleModel module, Context context, Findings out);

    /**
     * What a rule may consult.
     *
     * @param kernel the selected kernel profile's symbols
     * @param resolver resolves calls
     * @param reach what the module's handlers run
     */
    record Context(KernelSymbols kernel, CallResolver resolver, HandlerReach reach) {
    }
}
