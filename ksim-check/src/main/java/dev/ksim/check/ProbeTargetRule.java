package dev.ksim.check;

import java.util.ArrayList;
import java.util.List;

/**
 * Probe targets known at compile time ({@code symbol_name} string literals, or a field's initial value):
 * {@link Rule#PROBE_SYMBOL} when the selected kernel profile's {@code /proc/kallsyms} lacks the symbol
 * ({@code register_*probe()} returns {@code -ENOENT}), with a suggestion; {@link Rule#PROBE_BLACKLISTED}
 * when it is on the kprobe blacklist ({@code -EINVAL}).
 */
final class ProbeTargetRule implements CheckRule {
    @Override
    public void check(ModuleModel module, Context context, Findings out) {
        KernelSymbols k = context.kernel();
        for (ModuleModel.SymbolSite s : module.symbols) {
            String sym = s.symbol();
            if (sym.isEmpty() || sym.contains(":")) {
                continue; // "module:function" names a module's symbol, not the kernel's
            }
            String register = "register_" + s.kind().cName + "()";
            List<Diagnostic.Note> notes = new ArrayList<>();
            if (s.via() != null) {
                notes.add(new Diagnostic.Note(module.at(s.site()), "'" + sym + "' is " + s.via()));
            }
            if (!k.exists(sym)) {
                k.suggest(sym).ifPresent(hint -> notes.add(new Diagnostic.Note(module.at(s.site()), hint)));
                out.report(Rule.PROBE_SYMBOL, module.file, s.site(), "'" + sym + "' is not in /proc/kallsyms of the "
                        + k.profile.version + " kernel: " + register + " returns -ENOENT", notes);
            } else if (k.blacklisted(sym)) {
                out.report(Rule.PROBE_BLACKLISTED, module.file, s.site(), "'" + sym + "' is on the kprobe blacklist "
                        + "(/sys/kernel/debug/kprobes/blacklist): " + register + " returns -EINVAL", notes);
            }
        }
    }
}
