package dev.ksim.check;

import java.util.List;

/**
 * {@link Rule#HANDLER_SLEEPS}: probe handlers run in atomic context (preemption off, on x86 interrupts
 * off in the pre-handler), where sleeping is a bug the kernel reports as {@code BUG: sleeping function
 * called from invalid context}. Reports each sleeping SDK function and blocking JDK call a handler
 * reaches, with the chain from the handler. Also notes the handlers it could not follow
 * ({@link Rule#HANDLER_UNRESOLVED}).
 */
final class HandlerContextRule implements CheckRule {
    @Override
    public void check(ModuleModel module, Context context, Findings out) {
        for (HandlerReach.ExternalCall c : context.reach().externalCalls) {
            String why = SleepingCalls.reason(c.callee(), c.call());
            if (why != null) {
                out.report(Rule.HANDLER_SLEEPS, c.file(), c.call(), "sleeping function called from "
                        + c.chain().site().role() + " context: " + why,
                        List.of(new Diagnostic.Note(module.at(c.chain().site().site()),
                                "call chain: " + c.chain().render(c.callee().display()))));
            }
        }
        for (ModuleModel.HandlerSite h : context.reach().unresolved) {
            out.report(Rule.HANDLER_UNRESOLVED, module.file, h.site(), "cannot follow this " + h.role()
                    + " ('" + h.handler() + "'), so the handler checks skipped it; set a method reference "
                    + "(this::handler) or a lambda", List.of());
        }
    }
}
